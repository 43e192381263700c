package dev.yawlmetrics.agent.httpclient;

import dev.yawlmetrics.agent.instrumentation.ModuleBindings;
import dev.yawlmetrics.agent.instrumentation.ModuleContext;
import dev.yawlmetrics.agent.metrics.MetricsAgentRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Without a host allowlist (the default) the recorder never asks a request for its URI: every request pays for that lookup otherwise. */
class HttpClientRecorderHostTest {
    private final HttpClientInstrumentation module = new HttpClientInstrumentation();

    @AfterEach
    void unbind() {
        new ModuleBindings(List.of(module), null).unbindAll();
    }

    @Test
    void noAllowlistNoUriLookupAndTheRequestIsStillTracked() {
        new ModuleBindings(List.of(module), ModuleContext.of(MetricsAgentRegistry.newRegistry(Map.of()))).bindAll();
        CountingRequest request = new CountingRequest();
        Object token = HttpClientRecorder.start(request);
        assertTrue(token instanceof HttpClientMetrics.Request, "tracked: " + token);
        assertEquals(0, request.uriCalls.get(), "uri() read although no host is labelled");
        assertEquals(1, request.methodCalls.get(), "the method label is still read");
    }

    private static final class CountingRequest extends HttpRequest {
        final AtomicInteger uriCalls = new AtomicInteger();
        final AtomicInteger methodCalls = new AtomicInteger();

        @Override public Optional<BodyPublisher> bodyPublisher() { return Optional.empty(); }
        @Override public String method() { methodCalls.incrementAndGet(); return "PUT"; }
        @Override public Optional<Duration> timeout() { return Optional.empty(); }
        @Override public boolean expectContinue() { return false; }
        @Override public URI uri() { uriCalls.incrementAndGet(); return URI.create("http://etcd.internal:2379/v3/kv/put"); }
        @Override public Optional<HttpClient.Version> version() { return Optional.empty(); }
        @Override public HttpHeaders headers() { return HttpHeaders.of(Map.of(), (a, b) -> true); }
    }
}
