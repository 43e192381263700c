package dev.yawlmetrics.it.endpoint;

import dev.yawlmetrics.fixtures.hosts.CoreHost;
import dev.yawlmetrics.testsupport.AgentJvm;
import dev.yawlmetrics.testsupport.Scrape;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A real engine JVM: settings cannot forge log lines or slip silently (issue 13, items 4-5). */
class SettingsInTheLogTest {
    @Test
    void forgedLinesDuplicatesAndOversizedTagsAreReportedNotObeyed() throws Exception {
        try (AgentJvm jvm = AgentJvm.builder(CoreHost.class)
                .agentArgs("port=1,host=127.0.0.1,port=0")
                .env("YAWL_METRICS_PATH", "/m\n[yawl-metrics-agent] INFO forged line")
                .env("YAWL_METRICS_TAGS", "big=" + "x".repeat(100_000) + ",pod=p1")
                .start().awaitReady()) {
            assertTrue(jvm.stderr().stream().noneMatch(l -> l.startsWith("[yawl-metrics-agent] INFO forged")), jvm.describe());
            assertTrue(jvm.agentLog().stream().anyMatch(l -> l.contains("WARN") && l.contains("\\n[yawl-metrics-agent] INFO forged line")),
                    jvm.describe());
            assertTrue(jvm.agentLog().stream().anyMatch(l -> l.contains("WARN") && l.contains("port twice") && l.contains("using '0'")));
            assertTrue(jvm.agentLog().stream().anyMatch(l -> l.contains("WARN") && l.contains("tag 'big'") && l.contains("100000 characters")));
            assertTrue(jvm.agentLog().stream().allMatch(l -> l.length() < 2200), "every agent line bounded");
            Scrape s = jvm.scrape();
            assertEquals(3.0, s.value("yawl_metrics_agent_config_errors_total"), s.text());
            assertEquals("p1", s.find("yawl_metrics_agent_info").get(0).labels().get("pod"));
            assertTrue(s.text().length() < 200_000, "no 100 KB tag on every series");
        }
    }
}
