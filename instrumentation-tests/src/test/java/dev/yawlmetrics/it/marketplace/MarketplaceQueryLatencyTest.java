package dev.yawlmetrics.it.marketplace;

import dev.yawlmetrics.testsupport.AgentJvm;
import dev.yawlmetrics.testsupport.Scrape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Query latency and liveness-filter duration end to end, on both versions of the class. */
class MarketplaceQueryLatencyTest {
    static final String[] QUERIES = {"transition_slot", "namespace", "max_cost", "max_latency", "wcp_pattern", "by_id", "all_live", "live_count"};
    /** The queries that consume the lazy liveListings() stream (same in both versions). */
    static final String[] LIVENESS_CONSUMERS = {"namespace", "max_cost", "max_latency", "wcp_pattern", "all_live", "live_count"};

    @ParameterizedTest
    @EnumSource(MarketplaceVersion.class)
    void everyQueryTypeIsCountedAndTimedInTheForkedJvm(MarketplaceVersion version) throws Exception {
        try (AgentJvm jvm = version.host().start().awaitReady()) {
            jvm.command("publish 50");
            for (int i = 0; i < QUERIES.length; i++) {
                jvm.command("query " + QUERIES[i] + " " + (i + 1));
            }
            Scrape s = jvm.scrape();
            int livenessCalls = 0;
            for (int i = 0; i < QUERIES.length; i++) {
                assertEquals(i + 1, s.value("yawl_marketplace_query_latency_ms_count", "query", QUERIES[i]),
                        "count for " + QUERIES[i]);
                assertTrue(s.value("yawl_marketplace_query_latency_ms_sum", "query", QUERIES[i]) > 0, QUERIES[i]);
                // The 10 ms SLO bucket exists, so histogram_quantile can answer at the SLO line.
                assertTrue(s.has("yawl_marketplace_query_latency_ms_bucket", "query", QUERIES[i], "le", "10.0"));
                if (java.util.List.of(LIVENESS_CONSUMERS).contains(QUERIES[i])) {
                    livenessCalls += i + 1;
                }
            }
            // One liveness-filter observation per call that consumed liveListings(): not transition_slot, not by_id.
            assertEquals(livenessCalls, s.value("yawl_marketplace_liveness_filter_duration_ms_count"), s.text());
            assertTrue(s.has("yawl_marketplace_liveness_filter_duration_ms_bucket", "le", "10.0"));
            assertTrue(s.value("yawl_marketplace_liveness_filter_duration_ms_sum") > 0);
            assertEquals(1.0, s.value("yawl_metrics_agent_instrumentation_applied", "instrumentation", "marketplace"));
            assertTrue(jvm.agentLogShows(l -> l.contains("marketplace: instrumented org.yawlfoundation")),
                    jvm.describe());
        }
    }

    @ParameterizedTest
    @EnumSource(MarketplaceVersion.class)
    void nullQueriesPassTheEngineExceptionThroughUnchangedAndAreStillTimed(MarketplaceVersion version) throws Exception {
        try (AgentJvm jvm = version.host().start().awaitReady()) {
            // The fixture's own NullPointerException, with its own message, reaches the caller.
            assertEquals("NPE namespace", jvm.command("bad-query namespace"));
            assertEquals("NPE query", jvm.command("bad-query transition_slot"));
            assertEquals("NPE pattern", jvm.command("bad-query wcp_pattern"));
            // ConcurrentHashMap.get(null) throws inside findById, with the JVM's helpful message.
            assertEquals("NPE Cannot invoke \"Object.hashCode()\" because \"key\" is null", jvm.command("bad-query by_id"));
            Scrape s = jvm.scrape();
            for (String q : new String[] {"namespace", "transition_slot", "wcp_pattern", "by_id"}) {
                assertEquals(1.0, s.value("yawl_marketplace_query_latency_ms_count", "query", q), q);
            }
            // Thrown before any stream was consumed, yet still a call of a liveness consumer: counted.
            assertEquals(2.0, s.value("yawl_marketplace_liveness_filter_duration_ms_count"));
            assertEquals(0.0, s.value("yawl_metrics_agent_recording_errors_total", "instrumentation", "marketplace"), s.text());
        }
    }

    @Test
    void switchedOffMarketplaceLeavesTheClassAlone() throws Exception {
        try (AgentJvm jvm = MarketplaceVersion.NEWER.host()
                .sysProp("yawl.instrumentation.marketplace.enabled", "false").start().awaitReady()) {
            jvm.command("publish 5");
            jvm.command("query namespace 3");
            Scrape s = jvm.scrape();
            assertTrue(s.find("yawl_marketplace_query_latency_ms_count").isEmpty(), s.text());
            assertTrue(s.find("yawl_marketplace_listings").isEmpty(), s.text());
            assertEquals(0.0, s.value("yawl_metrics_agent_instrumentation_enabled", "instrumentation", "marketplace"));
            assertEquals(0.0, s.value("yawl_metrics_agent_instrumentation_applied", "instrumentation", "marketplace"));
        }
    }
}
