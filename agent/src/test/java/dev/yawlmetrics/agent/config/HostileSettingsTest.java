package dev.yawlmetrics.agent.config;

import dev.yawlmetrics.agent.core.MetricsAgentLog;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Settings cannot slip silently: duplicates, garbled arguments, oversized tags, forged log lines. */
class HostileSettingsTest {
    private static boolean reported(MetricsAgentConfig c, String... parts) {
        return c.problems().stream().anyMatch(p -> {
            for (String part : parts) {
                if (!p.contains(part)) {
                    return false;
                }
            }
            return true;
        });
    }

    @Test
    void aKeyGivenTwiceIsOneWarnNamingTheWinner() {
        MetricsAgentConfig c = ConfigLoader.load("port=9500,port=9501", Map.of(), Map.of());
        assertEquals(9501, c.port());
        assertEquals(1, c.problems().size(), c.problems().toString());
        assertTrue(reported(c, "port twice", "'9500'", "using '9501'"), c.problems().toString());
        MetricsAgentConfig longAndShort = ConfigLoader.load("yawl.metrics.port=9500,port=9501", Map.of(), Map.of());
        assertTrue(reported(longAndShort, "port twice"), longAndShort.problems().toString());
    }

    @Test
    void aTagGivenTwiceIsReported() {
        MetricsAgentConfig c = ConfigLoader.load(null, Map.of("yawl.metrics.tags", "pod=a,pod=b"), Map.of());
        assertEquals(Map.of("pod", "b"), c.commonTags());
        assertTrue(reported(c, "tag 'pod' given twice", "using 'b'"), c.problems().toString());
    }

    @Test
    void tagValuesAndCountAreCapped() {
        String huge = "x".repeat(100_000);
        MetricsAgentConfig c = ConfigLoader.load(null, Map.of("yawl.metrics.tags", "big=" + huge + ",ok=1"), Map.of());
        assertEquals(Map.of("ok", "1"), c.commonTags());
        assertTrue(reported(c, "tag 'big'", "100000 characters", "more than 256"), c.problems().toString());
        assertTrue(c.problems().stream().allMatch(p -> p.length() < 1000), "the problem line does not echo the value");
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            many.append("t").append(i).append("=v,");
        }
        MetricsAgentConfig m = ConfigLoader.load(null, Map.of("yawl.metrics.tags", many.toString()), Map.of());
        assertEquals(16, m.commonTags().size());
        assertEquals(4, m.problems().stream().filter(p -> p.contains("more than 16 tags")).count());
        assertEquals(256, ConfigLoader.load(null, Map.of("yawl.metrics.tags", "a=" + "y".repeat(256)), Map.of()).commonTags().get("a").length());
    }

    @Test
    void labelNamesAreValidated() {
        MetricsAgentConfig c = ConfigLoader.load(null, Map.of("yawl.metrics.tags", "1bad=x,__x=y,code=z,good_one=w"), Map.of());
        assertEquals(Map.of("good_one", "w"), c.commonTags());
        assertEquals(3, c.problems().size(), c.problems().toString());
    }

    @Test
    void aGarbledAgentArgumentNeverShiftsAnotherSetting() {
        String original = "tags=e=🚀,port=39511";
        String received = AgentArgumentTest.asTheJvmMangles(original);
        MetricsAgentConfig recovered = ConfigLoader.loadDecoded(AgentArgument.decode(received, List.of(original.getBytes(StandardCharsets.UTF_8))),
                Map.of(), Map.of());
        assertEquals(39511, recovered.port());
        assertEquals(Map.of("e", "🚀"), recovered.commonTags());
        assertTrue(reported(recovered, "non-ASCII"), recovered.problems().toString());
        MetricsAgentConfig lost = ConfigLoader.loadDecoded(AgentArgument.decode(received, List.of()), Map.of(), Map.of());
        assertEquals(9464, lost.port(), "port=39 (cut from 39511) is not used");
        assertTrue(reported(lost, "'port=39' was cut short"), lost.problems().toString());
        assertEquals(Map.of("e", "🚀"), lost.commonTags());
    }

    @Test
    void noSettingCanForgeALogLine() {
        MetricsAgentConfig c = ConfigLoader.load(null, Map.of(),
                Map.of("YAWL_METRICS_PATH", "/m\n[yawl-metrics-agent] INFO forged\r\u0007"));
        String line = MetricsAgentLog.escape(c.problems().get(0));
        assertFalse(line.contains("\n") || line.contains("\r") || line.contains("\u0007"), line);
        assertTrue(line.contains("\\n[yawl-metrics-agent] INFO forged\\r\\u0007"), line);
        assertTrue(MetricsAgentLog.escape("z".repeat(1_000_000)).length() < 2100, "one line stays bounded");
    }
}
