package dev.yawlmetrics.agent.httpclient;

import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLSession;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What the agent adds to one request, measured in process: the calls the inlined advice makes
 * on sendAsync's path (bridge start, handler wrap, end with a handle stage on the caller's future), the wrapped
 * handler's headers callback and the recording on completion, against the same loop without
 * them. Prints medians; asserts nothing about speed.
 * Run: {@code mvn -B -q verify -pl build-tools,agent -Dtest=HttpClientRecordingCostTest -Dyawl.cost=true -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class HttpClientRecordingCostTest {
    private static final int BATCH = 10_000;
    private static final int BATCHES = 200;

    @Test
    void addedCostPerRequest() {
        assumeTrue(Boolean.getBoolean("yawl.cost"), "cost measurement runs only with -Dyawl.cost=true");
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:1/x")).GET().build();
        HttpResponse<Object> response = new FakeResponse(request);
        HttpResponse.BodySubscriber<Object> subscriber = HttpResponse.BodySubscribers.replacing(null);
        HttpResponse.BodyHandler<Object> handler = info -> subscriber;
        HttpResponse.ResponseInfo info = null;
        // The same callbacks BridgeInstaller installs, on the un-renamed bridge class.
        HttpClientBridge.onStart = HttpClientRecorder::start;
        HttpClientBridge.onHeaders = HttpClientRecorder::headers;
        HttpClientBridge.onReturn = HttpClientRecorder::returned;
        long sink = 0;
        double[] plain = new double[BATCHES];
        double[] recorded = new double[BATCHES];
        for (int round = 0; round < 2; round++) {   // round 0 = warm-up
            for (int b = 0; b < BATCHES; b++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < BATCH; i++) {
                    CompletableFuture<HttpResponse<Object>> cf = new CompletableFuture<>();
                    sink += handler.apply(info) == subscriber ? 1 : 0;
                    cf.complete(response);
                    sink += cf.join().statusCode();
                }
                long t1 = System.nanoTime();
                for (int i = 0; i < BATCH; i++) {
                    // What the inlined advice does around the JDK's private sendAsync.
                    Object token = HttpClientBridge.start(request);
                    @SuppressWarnings("unchecked")
                    HttpResponse.BodyHandler<Object> wrapped = HttpClientBridge.wrap(handler, token);
                    CompletableFuture<HttpResponse<Object>> cf = new CompletableFuture<>();
                    HttpClientBridge.end(token, cf);
                    sink += wrapped.apply(info) == subscriber ? 1 : 0;
                    cf.complete(response);
                    sink += cf.join().statusCode();
                }
                long t2 = System.nanoTime();
                plain[b] = (t1 - t0) / (double) BATCH;
                recorded[b] = (t2 - t1) / (double) BATCH;
            }
        }
        Arrays.sort(plain);
        Arrays.sort(recorded);
        System.out.printf("httpclient recording cost: plain median %.1f ns/request, recorded median %.1f ns/request,"
                        + " added %.1f ns (p90 batch added %.1f ns) [sink %d]%n",
                plain[BATCHES / 2], recorded[BATCHES / 2], recorded[BATCHES / 2] - plain[BATCHES / 2],
                recorded[BATCHES * 9 / 10] - plain[BATCHES * 9 / 10], sink);
    }

    private static final class FakeResponse implements HttpResponse<Object> {
        private final HttpRequest request;

        FakeResponse(HttpRequest request) { this.request = request; }

        public int statusCode() { return 200; }
        public HttpRequest request() { return request; }
        public Optional<HttpResponse<Object>> previousResponse() { return Optional.empty(); }
        public HttpHeaders headers() { return HttpHeaders.of(Map.of(), (a, b) -> true); }
        public Object body() { return null; }
        public Optional<SSLSession> sslSession() { return Optional.empty(); }
        public URI uri() { return request.uri(); }
        public HttpClient.Version version() { return HttpClient.Version.HTTP_1_1; }
    }
}
