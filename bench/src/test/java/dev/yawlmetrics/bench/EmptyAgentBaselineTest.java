package dev.yawlmetrics.bench;

import dev.yawlmetrics.bench.harness.Variant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmptyAgentBaselineTest {
    @AfterEach
    void clear() {
        System.clearProperty("bench.plain.javaagent");
        System.clearProperty("bench.yawl.javaagent");
        System.clearProperty("bench.agent.jar");
    }

    @Test
    void thePlainForkGetsTheEmptyAgentOnlyWhenAskedFor() {
        assertEquals(List.of(), Variant.PLAIN.jvmArgs(1234));
        System.setProperty("bench.plain.javaagent", "empty");
        List<String> args = Variant.PLAIN.jvmArgs(1234);
        assertEquals(1, args.size(), args.toString());
        assertTrue(args.get(0).startsWith("-javaagent:"), args.get(0));
    }

    @Test
    void anyOtherValueIsAnErrorNotASilentPlainFork() {
        System.setProperty("bench.plain.javaagent", "/some/agent.jar");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Variant.PLAIN.jvmArgs(1234));
        assertTrue(e.getMessage().contains("only accepted value is 'empty'"), e.getMessage());
    }

    /** The any-agent baseline: the agent fork runs the empty agent, with no endpoint and no port for it. */
    @Test
    void theAgentForkRunsTheEmptyAgentInsteadOfOursWhenAskedFor() {
        System.setProperty("bench.agent.jar", "/opt/yawl-metrics-agent.jar");
        assertTrue(Variant.YAWL.jvmArgs(1234).get(0).startsWith("-javaagent:/opt/yawl-metrics-agent.jar=port=1234"));
        System.setProperty("bench.yawl.javaagent", "empty");
        List<String> args = Variant.YAWL.jvmArgs(1234);
        assertEquals(1, args.size(), args.toString());
        assertTrue(args.get(0).startsWith("-javaagent:") && !args.get(0).contains("yawl-metrics-agent"), args.get(0));
        assertEquals(Variant.PLAIN.jvmArgs(0).size() + 1, args.size(), "the plain fork stays plain");
        System.setProperty("bench.yawl.javaagent", "ours");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Variant.YAWL.jvmArgs(1234));
        assertTrue(e.getMessage().contains("-Dbench.yawl.javaagent=ours"), e.getMessage());
    }
}
