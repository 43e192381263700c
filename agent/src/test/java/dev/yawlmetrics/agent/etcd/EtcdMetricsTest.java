package dev.yawlmetrics.agent.etcd;

import dev.yawlmetrics.agent.targets.EtcdOutcome;
import dev.yawlmetrics.agent.metrics.MetricsAgentRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EtcdMetricsTest {

    @Test
    void outcomeIsClassifiedByExceptionType() {
        assertEquals(EtcdOutcome.SUCCESS, EtcdOutcome.of(null));
        assertEquals(EtcdOutcome.TIMEOUT, EtcdOutcome.of(new HttpTimeoutException("request timed out")));
        assertEquals(EtcdOutcome.TIMEOUT, EtcdOutcome.of(new HttpConnectTimeoutException("connect timed out")));
        assertEquals(EtcdOutcome.ERROR, EtcdOutcome.of(new IOException("etcd put failed: HTTP 404")));
        assertEquals(EtcdOutcome.ERROR, EtcdOutcome.of(new ConnectException()));
        assertEquals(EtcdOutcome.ERROR, EtcdOutcome.of(new InterruptedException()));
    }

    @Test
    void exportedNamesLabelsAndBuckets() {
        PrometheusMeterRegistry registry = MetricsAgentRegistry.newRegistry(Map.of());
        EtcdMetrics metrics = new EtcdMetrics(registry);
        metrics.record(EtcdQueryType.HEARTBEAT, EtcdOutcome.SUCCESS, 3_000_000);
        metrics.record(EtcdQueryType.HEARTBEAT, EtcdOutcome.TIMEOUT, 150_000_000);
        metrics.record(EtcdQueryType.UNPUBLISH, EtcdOutcome.ERROR, 1_000_000);
        String text = registry.scrape();
        assertTrue(text.contains("yawl_etcd_query_latency_ms_bucket{query_type=\"heartbeat\",le=\"100.0\"} 1"), text);
        assertTrue(text.contains("yawl_etcd_query_latency_ms_count{query_type=\"heartbeat\"} 2"), text);
        assertTrue(text.contains("yawl_etcd_requests_total{outcome=\"timeout\",query_type=\"heartbeat\"} 1.0"), text);
        assertTrue(text.contains("yawl_etcd_requests_total{outcome=\"error\",query_type=\"unpublish\"} 1.0"), text);
        assertTrue(text.contains("yawl_etcd_requests_total{outcome=\"success\",query_type=\"discovery\"} 0.0"), text);
        // 4 query types x 3 outcomes, all present from the start
        assertEquals(12, text.lines().filter(l -> l.startsWith("yawl_etcd_requests_total{")).count());
    }
}
