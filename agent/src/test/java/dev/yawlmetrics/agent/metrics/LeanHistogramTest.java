package dev.yawlmetrics.agent.metrics;

import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LeanHistogramTest {

    @Test
    void exportsAClassicHistogramWithExactInclusiveBuckets() throws Exception {
        PrometheusMeterRegistry registry = MetricsAgentRegistry.newRegistry(Map.of());
        LeanHistogram[] h = LeanHistogram.register(registry, "yawl.test.latency_ms", "test", new double[] {10, 1, 100},
                "query_type", "a", "b");
        h[0].record(0.3);   // <= 1
        h[0].record(1.0);   // <= 1 (inclusive, exact: no ceiling)
        h[0].record(1.5);   // <= 10
        h[0].record(150);   // +Inf
        h[0].record(-4);    // clamped to 0
        h[1].record(10);
        String text = registry.scrape();
        assertTrue(text.contains("yawl_test_latency_ms_bucket{query_type=\"a\",le=\"1.0\"} 3"), text);
        assertTrue(text.contains("yawl_test_latency_ms_bucket{query_type=\"a\",le=\"10.0\"} 4"), text);
        assertTrue(text.contains("yawl_test_latency_ms_bucket{query_type=\"a\",le=\"100.0\"} 4"), text);
        assertTrue(text.contains("yawl_test_latency_ms_bucket{query_type=\"a\",le=\"+Inf\"} 5"), text);
        assertTrue(text.contains("yawl_test_latency_ms_count{query_type=\"a\"} 5"), text);
        assertTrue(text.contains("yawl_test_latency_ms_sum{query_type=\"a\"} 152.8"), text);
        assertTrue(text.contains("yawl_test_latency_ms_bucket{query_type=\"b\",le=\"10.0\"} 1"), text);
        assertTrue(text.contains("# TYPE yawl_test_latency_ms histogram"), text);
        String om = registry.scrape(OpenMetricsTextFormatWriter.CONTENT_TYPE);
        assertTrue(om.contains("yawl_test_latency_ms_bucket{query_type=\"a\",le=\"+Inf\"} 5"), om);
        assertEquals(5, h[0].count());
    }
}
