package dev.yawlmetrics.it.marketplace;

import dev.yawlmetrics.testsupport.AgentJvm;
import dev.yawlmetrics.testsupport.Scrape;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** publish / heartbeat / unpublish outcomes and timing, and the gauges, on both versions. */
class MarketplaceIndexMetricsTest {

    @ParameterizedTest
    @EnumSource(MarketplaceVersion.class)
    void publishHeartbeatAndUnpublishAreCountedTimedAndBadListingsRejectedUnchanged(MarketplaceVersion version) throws Exception {
        try (AgentJvm jvm = version.host().start().awaitReady()) {
            assertEquals("20", jvm.command("publish 20"));
            // The engine's own exceptions, class and message, reach the caller unchanged.
            assertEquals("IllegalArgumentException agent id must not be blank", jvm.command("publish-bad blank"));
            assertEquals("IllegalArgumentException agent id must not be blank", jvm.command("publish-bad null"));
            assertEquals("NullPointerException listing", jvm.command("publish-bad null-listing"));
            jvm.command("heartbeat agent-3");
            jvm.command("heartbeat agent-4");
            jvm.command("heartbeat agent-4");
            jvm.command("heartbeat no-such-agent");
            assertEquals("15", jvm.command("unpublish agent 0 5"));
            jvm.command("unpublish never-published 0 2");
            jvm.command("heartbeat agent-0"); // unpublished: no listing any more
            // The engine's (here: ConcurrentHashMap's) exception, thrown where it always was.
            assertEquals("NPE java.util.concurrent.ConcurrentHashMap", jvm.command("heartbeat-null"));

            Scrape s = jvm.scrape();
            assertEquals(20.0, s.value("yawl_marketplace_publish_count_total", "outcome", "success"), s.text());
            assertEquals(3.0, s.value("yawl_marketplace_publish_count_total", "outcome", "rejected"));
            assertEquals(3.0, s.value("yawl_marketplace_heartbeat_count_total", "outcome", "applied"));
            assertEquals(2.0, s.value("yawl_marketplace_heartbeat_count_total", "outcome", "stale_check_fail"));
            assertEquals(7.0, s.value("yawl_marketplace_unpublish_count_total"));
            assertEquals(23.0, s.value("yawl_marketplace_index_sync_time_ms_count", "operation", "publish"));
            // Timed, but neither applied nor stale_check_fail: the null-id call threw.
            assertEquals(6.0, s.value("yawl_marketplace_index_sync_time_ms_count", "operation", "heartbeat"));
            assertEquals(7.0, s.value("yawl_marketplace_index_sync_time_ms_count", "operation", "unpublish"));
            assertTrue(s.has("yawl_marketplace_index_sync_time_ms_bucket", "operation", "publish", "le", "10.0"));
            assertEquals(15.0, s.value("yawl_marketplace_listings"));
            if (version == MarketplaceVersion.NEWER) {
                assertEquals(15.0, s.value("yawl_marketplace_liveness_index_size"), s.text());
            } else {
                assertFalse(s.text().contains("yawl_marketplace_liveness_index_size"), "older version has no index");
            }
            assertEquals(0.0, s.value("yawl_metrics_agent_recording_errors_total", "instrumentation", "marketplace"));
        }
    }

    @ParameterizedTest
    @EnumSource(MarketplaceVersion.class)
    void liveCountIsTheEngineOwnLastScanNotAScanPerScrape(MarketplaceVersion version) throws Exception {
        try (AgentJvm jvm = version.host().start().awaitReady()) {
            jvm.command("publish 10");
            jvm.command("publish-stale 30 old");
            // Never scanned yet: the first scrape refreshes it with one liveCount() call of its own.
            Scrape first = jvm.scrape();
            assertEquals(10.0, first.value("yawl_marketplace_live_agents_count"), first.text());
            assertEquals(40.0, first.value("yawl_marketplace_listings"));
            // ...which is not an engine query: not counted, not timed.
            assertTrue(first.find("yawl_marketplace_query_latency_ms_count", "query", "live_count").stream()
                    .allMatch(x -> x.value() == 0.0), first.text());

            jvm.command("publish 5 more");
            // Within the 30 s refresh period a scrape scans nothing: still the last observation.
            assertEquals(10.0, jvm.scrape().value("yawl_marketplace_live_agents_count"));
            // The engine's own scans feed the gauge at no extra cost.
            assertEquals("15", jvm.command("query live_count 1"));
            assertEquals(15.0, jvm.scrape().value("yawl_marketplace_live_agents_count"));
            jvm.command("heartbeat old-7"); // a stale listing comes back to life
            assertEquals("16", jvm.command("query all_live 1"));
            Scrape s = jvm.scrape();
            assertEquals(16.0, s.value("yawl_marketplace_live_agents_count"));
            assertEquals(1.0, s.value("yawl_marketplace_query_latency_ms_count", "query", "live_count"));
            assertEquals(1.0, s.value("yawl_marketplace_query_latency_ms_count", "query", "all_live"));
            assertEquals(2.0, s.value("yawl_marketplace_liveness_filter_duration_ms_count"));
        }
    }

    @ParameterizedTest
    @EnumSource(MarketplaceVersion.class)
    void gaugesHoldMarketplacesWeakly(MarketplaceVersion version) throws Exception {
        try (AgentJvm jvm = version.host().start().awaitReady()) {
            jvm.command("publish 1000");
            assertEquals(1000.0, jvm.scrape().value("yawl_marketplace_listings"));
            jvm.command("replace");
            jvm.command("publish 7");
            jvm.command("gc");
            Scrape s = jvm.scrape();
            // Had the gauge kept the dropped marketplace, it would still count its 1000 listings.
            assertEquals(7.0, s.value("yawl_marketplace_listings"), s.text());
            assertEquals(7.0, s.value("yawl_marketplace_live_agents_count"));
            if (version == MarketplaceVersion.NEWER) {
                assertEquals(7.0, s.value("yawl_marketplace_liveness_index_size"));
            }
        }
    }
}
