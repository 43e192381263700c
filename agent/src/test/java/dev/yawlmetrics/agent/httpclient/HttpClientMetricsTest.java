package dev.yawlmetrics.agent.httpclient;

import dev.yawlmetrics.agent.metrics.MetricsAgentRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HttpClientMetricsTest {
    private final PrometheusMeterRegistry registry = MetricsAgentRegistry.newRegistry(Map.of());

    @Test
    void lifecycleOfOneRequestMovesBothGaugesAndCountsOnce() {
        HttpClientMetrics m = new HttpClientMetrics(registry, 4, List.of());
        HttpClientMetrics.Request r = m.start("GET", "example.org", 0);
        assertEquals(1, m.active());
        assertEquals(1, m.pending());
        m.headersArrived(r);
        m.headersArrived(r);
        assertEquals(1, m.active());
        assertEquals(0, m.pending());
        m.finished(r, null, new CancellationException(), 250_000_000L);
        m.finished(r, null, null, 999_000_000L);
        assertEquals(0, m.active());
        assertEquals(0, m.pending());
        String text = registry.scrape();
        assertTrue(text.contains("yawl_http_client_requests_sent_total{method=\"GET\",status_class=\"none\"} 1.0"), text);
        assertTrue(text.contains("yawl_http_client_request_latency_ms_count 1"), text);
        assertTrue(text.contains("yawl_http_client_request_latency_ms_bucket{le=\"200.0\"} 0"), text);
        assertTrue(text.contains("yawl_http_client_request_latency_ms_bucket{le=\"500.0\"} 1"), text);
        assertFalse(text.contains("host="), text);
    }

    /**
     * A synchronous send is active and pending from its start until send's exit ends it: its
     * caller gets headers and body together, and the agent does not watch its headers.
     */
    @Test
    void aSynchronousSendIsActiveAndPendingUntilItEndsAndIsCountedOnce() {
        HttpClientMetrics m = new HttpClientMetrics(registry, 4, List.of());
        HttpClientMetrics.Request async = m.start("GET", null, 0);
        m.headersArrived(async);
        HttpClientMetrics.Request send = m.startSend("PUT", null, 0);
        assertEquals(2, m.active());
        assertEquals(1, m.pending());
        assertTrue(registry.scrape().contains("yawl_http_client_connections_pending 1.0"), registry.scrape());
        assertTrue(registry.scrape().contains("yawl_http_client_pool_utilization_percent 50.0"), registry.scrape());
        // Callbacks of the other kind do not touch a send: no headers callback, no async end.
        m.headersArrived(send);
        m.finished(send, null, null, 1);
        assertEquals(2, m.active());
        assertEquals(1, m.pending());
        m.sendFinished(send, null, new HttpTimeoutException("t"), 400_000_000L);
        assertEquals(1, m.active());
        assertEquals(0, m.pending());
        // And an async token given to sendFinished is ignored.
        m.sendFinished(async, null, null, 1);
        assertEquals(1, m.active());
        m.finished(async, null, null, 1);
        assertEquals(0, m.active());
        String text = registry.scrape();
        assertTrue(text.contains("yawl_http_client_requests_sent_total{method=\"PUT\",status_class=\"none\"} 1.0"), text);
        assertTrue(text.contains("yawl_http_client_requests_sent_total{method=\"GET\",status_class=\"none\"} 1.0"), text);
        assertTrue(text.contains("yawl_http_client_connection_timeout_count_total{reason=\"request\"} 1.0"), text);
        assertTrue(text.contains("yawl_http_client_request_latency_ms_count 2"), text);
        assertTrue(text.contains("yawl_http_client_request_latency_ms_bucket{le=\"200.0\"} 1"), text);
        assertTrue(text.contains("yawl_http_client_connections_active 0.0"), text);
    }

    /** Requests started before a detach end after a re-attach, on new meters that never counted them. */
    @Test
    void requestsOfOtherMetersAreLeftAlone() {
        HttpClientMetrics before = new HttpClientMetrics(MetricsAgentRegistry.newRegistry(Map.of()), 4, List.of());
        HttpClientMetrics.Request async = before.start("GET", null, 0);
        HttpClientMetrics.Request send = before.startSend("GET", null, 0);
        HttpClientMetrics after = new HttpClientMetrics(registry, 4, List.of());
        after.headersArrived(async);
        after.finished(async, null, null, 1);
        after.sendFinished(send, null, null, 1);
        assertEquals(0, after.active());
        assertEquals(0, after.pending());
        assertTrue(registry.scrape().contains("yawl_http_client_request_latency_ms_count 0"), registry.scrape());
        assertEquals(2, before.active(), "the meters that started them still count them");
        assertEquals(2, before.pending());
    }

    @Test
    void finishingWithoutHeadersAlsoClearsPending() {
        HttpClientMetrics m = new HttpClientMetrics(registry, 4, List.of());
        HttpClientMetrics.Request r = m.start("POST", null, 0);
        m.finished(r, null, new ConnectException(), 1);
        assertEquals(0, m.pending());
        assertEquals(0, m.active());
    }

    @Test
    void utilisationIsInFlightOverCapacity() {
        HttpClientMetrics m = new HttpClientMetrics(registry, 8, List.of());
        m.start("GET", null, 0);
        m.start("GET", null, 0);
        assertTrue(registry.scrape().contains("yawl_http_client_pool_utilization_percent 25.0"), registry.scrape());
    }

    @Test
    void hostLabelOnlyForAllowlistedHostsEverythingElseIsOther() {
        HttpClientMetrics m = new HttpClientMetrics(registry, 8, List.of("etcd.internal"));
        assertTrue(m.labelsHosts());
        assertFalse(new HttpClientMetrics(MetricsAgentRegistry.newRegistry(Map.of()), 8, List.of()).labelsHosts(),
                "no allowlist: the recorder skips the host lookup");
        m.finished(m.start("GET", "ETCD.internal", 0), null, new HttpTimeoutException("t"), 1);
        m.finished(m.start("GET", "agent-42.example.com", 0), null, null, 1);
        String text = registry.scrape();
        assertTrue(text.contains("yawl_http_client_requests_sent_total{host=\"etcd.internal\",method=\"GET\",status_class=\"none\"} 1.0"), text);
        assertTrue(text.contains("yawl_http_client_requests_sent_total{host=\"other\",method=\"GET\",status_class=\"none\"} 1.0"), text);
        assertTrue(text.contains("yawl_http_client_connection_timeout_count_total{host=\"etcd.internal\",reason=\"request\"} 1.0"), text);
        assertFalse(text.contains("agent-42"), text);
    }

    @Test
    void boundedLabelValues() {
        assertEquals("OTHER", HttpClientMetrics.METHODS[HttpClientMetrics.methodIndex("PROPFIND")]);
        assertEquals("GET", HttpClientMetrics.METHODS[HttpClientMetrics.methodIndex("GET")]);
        for (String method : HttpClientMetrics.METHODS) {
            // every label maps to itself (the switch and the array agree), "OTHER" included
            assertEquals(method, HttpClientMetrics.METHODS[HttpClientMetrics.methodIndex(method)]);
        }
        assertEquals("OTHER", HttpClientMetrics.METHODS[HttpClientMetrics.methodIndex("get")]);
        assertEquals("OTHER", HttpClientMetrics.METHODS[HttpClientMetrics.methodIndex(null)]);
        assertEquals("1xx", HttpClientMetrics.STATUS_CLASSES[HttpClientMetrics.statusIndex(101)]);
        assertEquals("5xx", HttpClientMetrics.STATUS_CLASSES[HttpClientMetrics.statusIndex(599)]);
        assertEquals("none", HttpClientMetrics.STATUS_CLASSES[HttpClientMetrics.statusIndex(600)]);
        assertEquals("none", HttpClientMetrics.STATUS_CLASSES[HttpClientMetrics.statusIndex(42)]);
    }

    @Test
    void timeoutsAreFoundThroughWrappers() {
        assertEquals("connect", HttpClientMetrics.timeoutKind(new CompletionException(new HttpConnectTimeoutException("c"))));
        assertEquals("request", HttpClientMetrics.timeoutKind(new HttpTimeoutException("r")));
        assertEquals("request", HttpClientMetrics.timeoutKind(new IOException(new HttpTimeoutException("r"))));
        assertNull(HttpClientMetrics.timeoutKind(new ConnectException("refused")));
        assertNull(HttpClientMetrics.timeoutKind(new CancellationException()));
    }
}
