package dev.yawlmetrics.agent.marketplace;

import dev.yawlmetrics.agent.metrics.MetricsAgentRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MarketplaceMetricsTest {

    /** Shaped like AgentMarketplace for the reflective gauges: size(), liveCount(), liveAgentIds. */
    public static final class FakeMarketplace {
        private final Set<String> liveAgentIds = ConcurrentHashMap.newKeySet();
        final AtomicLong liveCountCalls = new AtomicLong();
        volatile int size;
        volatile long live;

        public int size() { return size; }

        public long liveCount() {
            liveCountCalls.incrementAndGet();
            return live;
        }
    }

    /** The older shape: no index field. */
    public static final class OlderFakeMarketplace {
        public int size() { return 3; }

        public long liveCount() { return 2; }
    }

    @Test
    void exportedNamesAreExactlyTheIssueNames() {
        PrometheusMeterRegistry registry = MetricsAgentRegistry.newRegistry(Map.of());
        MarketplaceMetrics m = new MarketplaceMetrics(registry);
        FakeMarketplace market = new FakeMarketplace();
        market.size = 4;
        market.live = 3;
        market.liveAgentIds.add("a");
        OlderFakeMarketplace older = new OlderFakeMarketplace(); // held here: the metrics hold it weakly
        m.track(older);
        assertFalse(registry.scrape().contains("yawl_marketplace_liveness_index_size"), "no marketplace with an index yet");
        m.track(market);
        m.recordQuery(MarketplaceQuery.NAMESPACE, 2_000_000);
        m.recordQuery(MarketplaceQuery.BY_ID, 1_000_000);
        m.recordQuery(MarketplaceQuery.LIVE_COUNT, 30_000);
        m.recordQuery(MarketplaceQuery.ALL_LIVE, 40_000_000);
        m.recordIndexSync(IndexOperation.HEARTBEAT, 500_000);
        m.countPublish(true);
        m.countPublish(false);
        m.countHeartbeat(true);
        m.countHeartbeat(false);
        m.countUnpublish();
        m.enableLivenessIndexGauge(); // idempotent
        String text = registry.scrape();
        for (String line : new String[] {
                "yawl_marketplace_query_latency_ms_count{query=\"namespace\"} 1",
                "yawl_marketplace_query_latency_ms_count{query=\"by_id\"} 1",
                "yawl_marketplace_query_latency_ms_bucket{query=\"namespace\",le=\"10.0\"} 1",
                "yawl_marketplace_query_latency_ms_bucket{query=\"live_count\",le=\"1.0\"} 1",
                // namespace, live_count and all_live consume liveListings(), by_id does not
                "yawl_marketplace_liveness_filter_duration_ms_count 3",
                "yawl_marketplace_liveness_filter_duration_ms_sum 42.03",
                "yawl_marketplace_liveness_filter_duration_ms_bucket{le=\"1.0\"} 1",
                "yawl_marketplace_liveness_filter_duration_ms_bucket{le=\"5.0\"} 2",
                "yawl_marketplace_liveness_filter_duration_ms_bucket{le=\"10.0\"} 2",
                "yawl_marketplace_liveness_filter_duration_ms_bucket{le=\"50.0\"} 3",
                "yawl_marketplace_liveness_filter_duration_ms_bucket{le=\"+Inf\"} 3",
                "yawl_marketplace_index_sync_time_ms_count{operation=\"heartbeat\"} 1",
                "yawl_marketplace_index_sync_time_ms_count{operation=\"publish\"} 0",
                "yawl_marketplace_publish_count_total{outcome=\"success\"} 1.0",
                "yawl_marketplace_publish_count_total{outcome=\"rejected\"} 1.0",
                "yawl_marketplace_heartbeat_count_total{outcome=\"applied\"} 1.0",
                "yawl_marketplace_heartbeat_count_total{outcome=\"stale_check_fail\"} 1.0",
                "yawl_marketplace_unpublish_count_total 1.0",
                "yawl_marketplace_listings 7.0", // 4 + the older fake's 3
                "yawl_marketplace_live_agents_count 5.0", // 3 + 2
                "yawl_marketplace_liveness_index_size 1.0"}) {
            assertTrue(text.contains(line + "\n"), line + " missing in\n" + text);
        }
        assertNotNull(older);
        // The derived histogram also renders in OpenMetrics (what Prometheus negotiates by default).
        String open = registry.scrape("application/openmetrics-text; version=1.0.0; charset=utf-8");
        assertTrue(open.contains("# TYPE yawl_marketplace_liveness_filter_duration_ms histogram\n"), open);
        assertTrue(open.contains("yawl_marketplace_liveness_filter_duration_ms_count 3\n"), open);
        assertTrue(open.contains("yawl_marketplace_liveness_filter_duration_ms_bucket{le=\"+Inf\"} 3\n"), open);
    }

    @Test
    void bucketsAreIntegerMillisecondsBecauseMicrometerCeilsRecordedValues() {
        PrometheusMeterRegistry registry = MetricsAgentRegistry.newRegistry(Map.of());
        MarketplaceMetrics m = new MarketplaceMetrics(registry);
        m.recordQuery(MarketplaceQuery.BY_ID, 2_200_000); // 2.2 ms
        String text = registry.scrape();
        assertFalse(text.contains("le=\"0.5\""), text);
        assertFalse(text.contains("le=\"2.5\""), text);
        assertTrue(text.contains("yawl_marketplace_query_latency_ms_bucket{query=\"by_id\",le=\"1.0\"} 0\n"));
        assertTrue(text.contains("yawl_marketplace_query_latency_ms_bucket{query=\"by_id\",le=\"5.0\"} 1\n"));
        assertTrue(text.contains("yawl_marketplace_query_latency_ms_bucket{query=\"by_id\",le=\"10.0\"} 1\n"));
    }

    @Test
    void liveCountIsRefreshedAtMostOncePerPeriodAndEngineScansResetTheClock() {
        AtomicLong now = new AtomicLong(1_000);
        long period = TimeUnit.SECONDS.toNanos(30);
        MarketplaceInstances instances = new MarketplaceInstances(now::get, period);
        FakeMarketplace market = new FakeMarketplace();
        market.live = 5;
        instances.track(market);

        assertEquals(5.0, instances.liveAgents());
        assertEquals(1, market.liveCountCalls.get(), "never observed: one refresh");
        market.live = 9;
        for (int i = 0; i < 10; i++) {
            assertEquals(5.0, instances.liveAgents(), "within the period: last value, no scan");
        }
        assertEquals(1, market.liveCountCalls.get());

        now.addAndGet(period - 1);
        instances.observeLive(market, 7); // the engine's own scan
        now.addAndGet(period - 1);
        assertEquals(7.0, instances.liveAgents());
        assertEquals(1, market.liveCountCalls.get(), "the engine's scan kept it fresh");

        now.addAndGet(2);
        assertEquals(9.0, instances.liveAgents(), "older than the period: refreshed");
        assertEquals(2, market.liveCountCalls.get());
    }

    @Test
    void indexGaugeOnlyCountsMarketplacesThatHaveAnIndex() {
        MarketplaceInstances instances = new MarketplaceInstances();
        OlderFakeMarketplace older = new OlderFakeMarketplace();
        instances.track(older);
        assertTrue(Double.isNaN(instances.livenessIndexSize()));
        assertEquals(3.0, instances.listings());
        assertEquals(2.0, instances.liveAgents());
        FakeMarketplace newer = new FakeMarketplace();
        newer.liveAgentIds.add("x");
        newer.liveAgentIds.add("y");
        newer.size = 2;
        instances.track(newer);
        assertEquals(2.0, instances.livenessIndexSize());
        assertEquals(5.0, instances.listings());
        assertNotNull(older);
    }

    @Test
    void marketplacesAreHeldWeakly() throws Exception {
        MarketplaceInstances instances = new MarketplaceInstances();
        FakeMarketplace kept = new FakeMarketplace();
        kept.size = 1;
        instances.track(kept);
        FakeMarketplace dropped = new FakeMarketplace();
        dropped.size = 1000;
        instances.track(dropped);
        assertEquals(1001.0, instances.listings());
        dropped = null;
        for (int i = 0; i < 50 && instances.listings() != 1.0; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertEquals(1.0, instances.listings());
        instances.track(kept);
        assertEquals(1, instances.trackedCount(), "cleared references are pruned");
    }

    /**
     * The per-call paths the advice reaches allocate nothing of their own: measured with the
     * JVM's per-thread allocation counter over many calls after warm-up (the meters themselves
     * are Micrometer's; with SLO buckets they do not allocate per record either).
     */
    @Test
    void hotPathsAreAllocationFree() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Object market = new FakeMarketplace();
        MarketplaceRecorder.created(market);
        int calls = 200_000;
        Runnable all = () -> {
            for (int i = 0; i < calls; i++) {
                long start = System.nanoTime();
                MarketplaceRecorder.queryFinished(MarketplaceQuery.NAMESPACE.ordinal(), start);
                MarketplaceRecorder.queryFinished(MarketplaceQuery.BY_ID.ordinal(), start);
                MarketplaceRecorder.liveCountFinished(market, start, 3, null);
                MarketplaceRecorder.publishFinished(market, start, null);
                MarketplaceRecorder.unpublishFinished(market, start, null);
                MarketplaceRecorder.heartbeatFinished(market, start);
            }
        };
        all.run(); // warm-up: JIT, meter creation, tracking
        long tid = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(tid);
        all.run();
        long allocated = mx.getThreadAllocatedBytes(tid) - before;
        System.out.println("hot paths: " + allocated + " bytes allocated over " + (6L * calls) + " recorder calls");
        assertTrue(allocated < calls / 10, "allocated " + allocated + " bytes over " + (6L * calls) + " recorder calls");
    }
}
