package dev.yawlmetrics.demo;

import dev.yawlmetrics.testsupport.Scrape;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgressTest {
    private static final String BEFORE = """
            yawl_heartbeat_renewal_success_total{outcome="success"} 100.0
            yawl_heartbeat_renewal_success_total{outcome="error"} 0.0
            yawl_marketplace_query_latency_ms_bucket{query="namespace",le="1.0"} 0.0
            yawl_marketplace_query_latency_ms_bucket{query="namespace",le="10.0"} 0.0
            yawl_marketplace_query_latency_ms_bucket{query="namespace",le="+Inf"} 0.0
            """;
    private static final String AFTER = """
            yawl_agent_live{state="DISCOVERING"} 40.0
            yawl_agent_live{state="STOPPED"} 5.0
            yawl_heartbeat_renewal_success_total{outcome="success"} 190.0
            yawl_heartbeat_renewal_success_total{outcome="error"} 10.0
            yawl_marketplace_query_latency_ms_bucket{query="namespace",le="1.0"} 50.0
            yawl_marketplace_query_latency_ms_bucket{query="namespace",le="10.0"} 100.0
            yawl_marketplace_query_latency_ms_bucket{query="namespace",le="+Inf"} 100.0
            yawl_discovery_agents_in_backoff 7.0
            """;

    @Test
    void statusLineFromTwoScrapes() {
        String line = Progress.line(10, Scrape.parse(BEFORE), Scrape.parse(AFTER), 5.0, "");
        assertEquals("[t=  10s] live agents 40 | renewals 20/s, success 90.0% | marketplace p95 9.10 ms | in backoff 7 | alerts firing: none", line);
    }

    @Test
    void quantileInterpolatesInsideTheBucketLikePrometheus() {
        assertEquals(5.5, Progress.quantile(0.75, Scrape.parse(BEFORE), Scrape.parse(AFTER),
                "yawl_marketplace_query_latency_ms_bucket"), 1e-9);
        assertTrue(Double.isNaN(Progress.quantile(0.5, Scrape.parse(BEFORE), Scrape.parse(BEFORE),
                "yawl_marketplace_query_latency_ms_bucket")));
    }
}
