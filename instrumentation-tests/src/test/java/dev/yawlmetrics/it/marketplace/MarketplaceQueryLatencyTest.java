package dev.yawlmetrics.it.marketplace;

import dev.yawlmetrics.fixtures.hosts.MarketplaceHost;
import dev.yawlmetrics.testsupport.AgentJvm;
import dev.yawlmetrics.testsupport.Scrape;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The first instrumentation end to end: matcher -> advice -> registry -> /metrics of a forked JVM. */
class MarketplaceQueryLatencyTest {

    @Test
    void everyQueryTypeIsCountedAndTimedInTheForkedJvm() throws Exception {
        try (AgentJvm jvm = AgentJvm.builder(MarketplaceHost.class).start().awaitReady()) {
            jvm.command("publish 50");
            String[] queries = {"transition_slot", "namespace", "max_cost", "max_latency", "wcp_pattern", "by_id", "all_live", "live_count"};
            for (int i = 0; i < queries.length; i++) {
                jvm.command("query " + queries[i] + " " + (i + 1));
            }
            Scrape s = jvm.scrape();
            for (int i = 0; i < queries.length; i++) {
                assertEquals(i + 1, s.value("yawl_marketplace_query_latency_ms_count", "query", queries[i]),
                        "count for " + queries[i]);
                // The 10 ms SLO bucket exists, so histogram_quantile can answer at the SLO line.
                assertTrue(s.has("yawl_marketplace_query_latency_ms_bucket", "query", queries[i], "le", "10.0"));
            }
            assertEquals(1.0, s.value("yawl_agent_instrumentation_applied", "instrumentation", "marketplace"));
            assertTrue(jvm.agentLog().stream().anyMatch(l -> l.contains("marketplace: instrumented org.yawlfoundation")),
                    jvm.describe());
        }
    }

    @Test
    void engineExceptionPassesThroughUnchangedAndIsStillTimed() throws Exception {
        try (AgentJvm jvm = AgentJvm.builder(MarketplaceHost.class).start().awaitReady()) {
            // The fixture's own NullPointerException, with its own message, reaches the caller.
            assertEquals("NPE namespace", jvm.command("bad-query"));
            assertEquals(1.0, jvm.scrape().value("yawl_marketplace_query_latency_ms_count", "query", "namespace"));
        }
    }

    @Test
    void switchedOffMarketplaceLeavesTheClassAlone() throws Exception {
        try (AgentJvm jvm = AgentJvm.builder(MarketplaceHost.class)
                .sysProp("yawl.instrumentation.marketplace.enabled", "false").start().awaitReady()) {
            jvm.command("publish 5");
            jvm.command("query namespace 3");
            Scrape s = jvm.scrape();
            assertTrue(s.find("yawl_marketplace_query_latency_ms_count").isEmpty(), s.text());
            assertEquals(0.0, s.value("yawl_agent_instrumentation_enabled", "instrumentation", "marketplace"));
            assertEquals(0.0, s.value("yawl_agent_instrumentation_applied", "instrumentation", "marketplace"));
        }
    }
}
