package dev.yawlmetrics.ops.rules;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The linter catches each class of bug found in the design's PromQL (so RuleFilesTest can fail). */
class PromQlTest {

    @Test
    void quantileOverRawBucketsIsReported() {
        assertEquals(List.of("histogram_quantile over 'yawl_heartbeat_latency_ms_bucket', not over sum by (le) (...)"),
                PromQl.quantileProblems("histogram_quantile(0.95, yawl_heartbeat_latency_ms_bucket) > 100"));
        assertTrue(PromQl.quantileProblems("histogram_quantile(0.95, sum(rate(x_bucket[5m])) by (le)) > 1").isEmpty());
        assertTrue(PromQl.quantileProblems("histogram_quantile(0.95,\n sum by (cluster, le) (rate(x_bucket[5m]))\n) > 1").isEmpty());
        assertEquals(1, PromQl.quantileProblems("histogram_quantile(0.9, sum by (instance) (rate(x_bucket[5m])))").size());
        assertEquals(1, PromQl.quantileProblems("histogram_quantile(0.9, sum by (le) (x_bucket))").size());
    }

    @Test
    void rateOverGaugesAndCountersWithoutTotalIsReported() {
        assertEquals(1, PromQl.counterProblems("rate(yawl_discovery_polling_load_reduction_percent[1m]) > 80").size());
        assertEquals(1, PromQl.counterProblems("rate(yawl_agent_reconnect_count[5m]) > 3333").size());
        assertEquals(1, PromQl.counterProblems("rate(etcd_server_proposals_applied_total[5m])").size(), "a gauge despite _total");
        assertTrue(PromQl.counterProblems("sum(rate(yawl_agent_reconnect_count_total{reason=\"x\"}[5m]))").isEmpty());
        assertTrue(PromQl.counterProblems("increase(etcd_server_leader_changes_seen_total[1h])").isEmpty());
    }

    @Test
    void missingComparisonAndShortWindowsAreReported() {
        assertTrue(PromQl.problems("sum(rate(a_total[5m]))", true, 60).contains("alert expression has no comparison"));
        assertTrue(PromQl.problems("x{le=\">\"} ", true, 60).contains("alert expression has no comparison"), "a > inside a label value is not a comparison");
        assertTrue(PromQl.problems("rate(a_total[30s]) > 1", true, 60).get(0).startsWith("range window 30s"));
        assertTrue(PromQl.problems("rate(a_total[1m]) > 1", true, 60).isEmpty());
        assertEquals(List.of(300L, 3600L, 60L), PromQl.rangeWindowsSeconds("rate(a[5m]) + avg_over_time(b[1h]) + max_over_time(c[1m:10s])"));
    }

    @Test
    void metricNamesAreTheSelectorsOnly() {
        assertEquals(Set.of("yawl_marketplace_live_agents_count"),
                PromQl.metricNames("(sum by (cluster) (yawl_marketplace_live_agents_count) / sum by (cluster) (yawl_marketplace_live_agents_count offset 10m)) < 0.95"));
        assertEquals(Set.of("yawl_agent_reconnect_count_total", "yawl_agent_live"),
                PromQl.metricNames("sum by (cluster) (rate(yawl_agent_reconnect_count_total[5m])) > 0.01 / 300 * sum by (cluster) (yawl_agent_live{state!~\"STOPPED|FAILED\"})"));
        assertEquals(Set.of("yawl_metrics_agent_instrumentation_enabled", "yawl_metrics_agent_instrumentation_applied"),
                PromQl.metricNames("(yawl_metrics_agent_instrumentation_enabled == 1) unless on (cluster, job, instance, instrumentation) (yawl_metrics_agent_instrumentation_applied == 1)"));
        assertEquals(Set.of("node_network_transmit_bytes_total", "yawl:etcd_apply_lag_seconds"),
                PromQl.metricNames("sum(rate(node_network_transmit_bytes_total{device!~\"lo\"}[5m])) * 8 / 1e6 > 800 or yawl:etcd_apply_lag_seconds > 0.5"));
    }
}
