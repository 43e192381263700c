package dev.yawlmetrics.demo;

import dev.yawlmetrics.testsupport.Scrape;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgressTest {
    private static final String BEFORE = """
            yawl_heartbeat_renewal_success_total{outcome="success"} 100.0
            yawl_heartbeat_renewal_success_total{outcome="error"} 0.0
            yawl_heartbeat_executor_task_count_total 100.0
            yawl_heartbeat_renewal_lateness_ms_bucket{le="1000.0"} 0.0
            yawl_heartbeat_renewal_lateness_ms_bucket{le="10000.0"} 0.0
            yawl_heartbeat_renewal_lateness_ms_bucket{le="15000.0"} 0.0
            yawl_heartbeat_renewal_lateness_ms_bucket{le="+Inf"} 0.0
            """;
    private static final String AFTER = """
            yawl_agent_live{state="DISCOVERING"} 40.0
            yawl_agent_live{state="STOPPED"} 5.0
            yawl_agent_backoff_level_agents{level="0"} 30.0
            yawl_agent_backoff_level_agents{level="3"} 10.0
            yawl_heartbeat_renewal_success_total{outcome="success"} 290.0
            yawl_heartbeat_renewal_success_total{outcome="error"} 10.0
            yawl_heartbeat_executor_task_count_total 300.0
            yawl_heartbeat_executor_queue_depth 496.0
            yawl_heartbeat_executor_active_threads 4.0
            yawl_heartbeat_renewal_lateness_ms_bucket{le="1000.0"} 100.0
            yawl_heartbeat_renewal_lateness_ms_bucket{le="10000.0"} 150.0
            yawl_heartbeat_renewal_lateness_ms_bucket{le="15000.0"} 200.0
            yawl_heartbeat_renewal_lateness_ms_bucket{le="+Inf"} 200.0
            yawl_discovery_agents_in_backoff 7.0
            """;

    @Test
    void statusLineShowsUseLatenessSuccessAgentsAndAlertsByState() {
        Progress.Tick t = Progress.tick(10, Scrape.parse(BEFORE), Scrape.parse(AFTER), 10.0, 10,
                List.of("HeartbeatExecutorFallingBehind"), List.of("HeartbeatRenewalLate"));
        // 200 renewals in 10 s = 20/s; 500 scheduled heartbeats / 10 s = 50/s needed -> 40 %
        assertEquals(0.4, t.executorUse(), 1e-9);
        assertEquals("[t=  10s] renewals 20/s of 50/s needed (executor use 40%) | late p50 1.0 s p99 15 s | success 95.0%"
                + " | 500 registered, 40 of 200 party agents running, 7 backing off"
                + " | alerts firing: HeartbeatRenewalLate; pending: HeartbeatExecutorFallingBehind",
                Progress.line(t, 200, true));
        assertEquals(Map.of("0", 30.0, "3", 10.0), t.backoffByLevel());
        Progress.Tick quiet = Progress.tick(10, Scrape.parse(BEFORE), Scrape.parse(AFTER), 10.0, 10, List.of(), List.of());
        assertTrue(Progress.line(quiet, 200, true).endsWith("| alerts firing: none; pending: none"), Progress.line(quiet, 200, true));
        assertTrue(!Progress.line(quiet, 200, false).contains("alerts"));
    }

    @Test
    void quantileInterpolatesInsideTheBucketLikePrometheus() {
        assertEquals(12_500, Progress.quantile(0.875, Scrape.parse(BEFORE), Scrape.parse(AFTER),
                "yawl_heartbeat_renewal_lateness_ms_bucket"), 1e-9);
        assertTrue(Double.isNaN(Progress.quantile(0.5, Scrape.parse(BEFORE), Scrape.parse(BEFORE),
                "yawl_heartbeat_renewal_lateness_ms_bucket")));
    }

    /** Rates span at least one renewal period: a 5 s window would see the 10 s renewal waves, not the rate. */
    @Test
    void windowStartIsTheNewestScrapeAtLeastOnePeriodOld() {
        long s = 1_000_000_000L;
        ArrayDeque<Map.Entry<Long, String>> h = new ArrayDeque<>();
        assertNull(DemoLauncher.windowStart(h, 5 * s));
        h.add(Map.entry(5 * s, "t5"));
        assertEquals("t5", DemoLauncher.windowStart(h, 10 * s).getValue(), "younger than a period: the oldest there is");
        h.add(Map.entry(10 * s, "t10"));
        h.add(Map.entry(15 * s, "t15"));
        h.add(Map.entry(20 * s, "t20"));
        assertEquals("t15", DemoLauncher.windowStart(h, 25 * s).getValue());
        assertEquals(List.of("t15", "t20"), h.stream().map(Map.Entry::getValue).toList());
    }

    @Test
    void alertsAreReadByStateAndFiringWins() {
        String json = """
                {"status":"success","data":{"alerts":[
                {"labels":{"alertname":"HeartbeatRenewalLate","cluster":"demo","instance":"a"},"annotations":{"summary":"x"},"state":"firing","activeAt":"t","value":"1"},
                {"labels":{"alertname":"HeartbeatRenewalLate","cluster":"demo","instance":"b"},"annotations":{"summary":"y"},"state":"pending","activeAt":"t","value":"1"},
                {"labels":{"alertname":"HeartbeatExecutorFallingBehind","cluster":"demo"},"annotations":{},"state":"pending","activeAt":"t","value":"1"}]}}
                """;
        Map<String, List<String>> byState = DemoLauncher.alertsByState(json);
        assertEquals(List.of("HeartbeatRenewalLate"), byState.get("firing"));
        assertEquals(List.of("HeartbeatExecutorFallingBehind"), byState.get("pending"));
    }

    @Test
    void fixtureFailuresAreCountedByOperationAndExceptionClassNeverNull() {
        FailureSummary f = new FailureSummary();
        for (int i = 0; i < 3; i++) {
            assertTrue(f.offer("[fixture] heartbeat agent-" + i + " failed: java.net.ConnectException"));
        }
        assertTrue(f.offer("[fixture] register agent-9 failed: java.io.IOException: etcd put failed: HTTP 404"));
        assertTrue(f.offer("[fixture] heartbeat agent-4 failed: null"));
        assertTrue(!f.offer("[fleet] registered 10/10 agents"));
        String line = f.drain(5);
        assertEquals("[demo] engine log, last 5 s: 1 x heartbeat failed with an exception the log line does not name;"
                + " 3 x heartbeat failed with java.net.ConnectException; 1 x register failed with java.io.IOException", line);
        assertNull(f.drain(5), "drained");
    }
}
