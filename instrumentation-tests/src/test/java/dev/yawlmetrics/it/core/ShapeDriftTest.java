package dev.yawlmetrics.it.core;

import dev.yawlmetrics.fixtures.hosts.CoreHost;
import dev.yawlmetrics.testsupport.AgentJvm;
import dev.yawlmetrics.testsupport.Scrape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.ToolProvider;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A future engine whose AgentMarketplace lost a method the advice relies on: the class must load
 * exactly as compiled, the agent says why in one line, and the self-metrics show it.
 */
class ShapeDriftTest {

    @Test
    void driftedTargetIsLeftUnchangedLoggedAndCounted(@TempDir Path dir) throws Exception {
        Path src = dir.resolve("src/org/yawlfoundation/yawl/integration/autonomous/marketplace/AgentMarketplace.java");
        Files.createDirectories(src.getParent());
        // Same class, but liveCount() was renamed to countLive() in this imagined engine release.
        String original = Files.readString(Path.of(System.getProperty("user.dir"),
                "../engine-fixtures/src/main/java/org/yawlfoundation/yawl/integration/autonomous/marketplace/AgentMarketplace.java"));
        String drifted = original.replace("public long liveCount()", "public long countLive()");
        assertTrue(!drifted.equals(original), "fixture no longer has liveCount(); update this test");
        Files.writeString(src, drifted);
        Path out = dir.resolve("classes");
        Files.createDirectories(out);
        int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null, "--release", "25", "-d", out.toString(),
                "-cp", AgentJvm.fixtureClasses().toString(), src.toString());
        assertEquals(0, rc);

        String cp = out + File.pathSeparator + AgentJvm.hostClassPath();
        try (AgentJvm jvm = AgentJvm.builder(CoreHost.class).classPath(cp).start().awaitReady()) {
            assertEquals("app found=3 npe=NullPointerException:namespace", jvm.command("market 2"));
            Scrape s = jvm.scrape();
            assertEquals(0.0, s.value("yawl_metrics_agent_instrumentation_applied", "instrumentation", "marketplace"));
            assertEquals(1.0, s.value("yawl_metrics_agent_instrumentation_skipped_total", "instrumentation", "marketplace"));
            assertEquals(0.0, s.value("yawl_metrics_agent_transformation_errors_total", "instrumentation", "marketplace"));
            assertTrue(s.find("yawl_marketplace_query_latency_ms_count").isEmpty(), "nothing half-instrumented");
            assertTrue(jvm.agentLogShows(l -> l.contains("marketplace: left org.yawlfoundation.yawl.integration"
                    + ".autonomous.marketplace.AgentMarketplace unchanged because public long liveCount(..): advice")
                    && l.contains("found 0 of at least 1 site(s)")),
                    jvm.describe());
        }
    }
}
