package dev.yawlmetrics.bench.percall;

import dev.yawlmetrics.bench.fleet.AgentPort;
import dev.yawlmetrics.bench.fleet.LoopbackOk;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import javax.net.ssl.SSLSession;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The JDK's {@code java.net.http.HttpClient}, instrumented by the agent at
 * {@code HttpClientImpl}'s public {@code send} and its private {@code sendAsync} funnel (behind
 * both public {@code sendAsync}); the client is built like the engine's (HTTP/1.1, virtual-thread executor,
 * as {@code VirtualThreadYawlA2AServer} does; see yawl-targets.md).
 * <ul>
 *   <li>{@link #sendLoopback}: the real thing and the primary figure: one synchronous GET
 *       answered {@code 200 "ok"} by a raw loopback responder ({@link LoopbackOk}) in this JVM,
 *       body read as a String. A loopback round trip costs 120-140 µs here when the machine is
 *       quiet and its average moves by tens of µs between forks (ms under load), so the agent's
 *       fraction of a µs is far below what with/without forks of it can resolve: read its added
 *       time against its noise (Overhead's noise table).</li>
 *   <li>{@link #bridgeAndRecorderOnly} (asynchronous, {@code sendAsync}) and
 *       {@link #bridgeAndRecorderOnlySync} ({@code send}, the engine's path): isolate what the agent adds to one successful request.
 *       The calls the inlined advice and the JDK make into the agent's bridge, in the order a
 *       request makes them, on the bridge the agent installed in this JVM (its recorder, its
 *       shaded registry); no I/O, so the added time is resolvable.</li>
 *   <li>{@link #sendAsyncShutDownClient}: the real instrumented funnel, inlined advice included,
 *       with no I/O: {@code sendAsync} on a client after {@code shutdownNow()} returns an already
 *       failed future ({@code IOException("closed")}). That is the failed-request path: the
 *       recording, and the agent's {@code handle} stage on a future that has already failed.
 *       (With {@code whenComplete}, before {@code 4957161}, the JDK also wrapped the exception in
 *       a new {@code CompletionException} with its stack trace filled: about 1 µs more.)</li>
 * </ul>
 * In each agent fork the set-up first waits until the agent has transformed {@code HttpClientImpl}
 * (probes with HEAD requests on a shut-down client, a series the measured GETs never touch), so
 * no measured iteration runs uninstrumented and the end-of-fork check is not satisfied by probes.
 */
@State(Scope.Thread)
public class HttpClientCalls extends InstrumentedCall {
    static final String PROBE_SERIES = "yawl_http_client_requests_sent_total{method=\"HEAD\",status_class=\"none\"}";

    /** Built like the engine's outbound client. */
    static HttpClient engineLikeClient(ExecutorService executor) {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).executor(executor).build();
    }

    /** A real client talking to a loopback responder of this JVM. */
    @State(Scope.Thread)
    public static class Loopback {
        LoopbackOk server;
        ExecutorService executor;
        HttpClient client;
        HttpRequest request;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            server = new LoopbackOk();
            executor = Executors.newVirtualThreadPerTaskExecutor();
            client = engineLikeClient(executor);
            request = HttpRequest.newBuilder(server.uri("/ok")).GET().build();
            // Sanity check with a POST: a GET here could satisfy the end-of-fork check on its own.
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(server.uri("/check"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200 || !"ok".equals(r.body())) {
                throw new IllegalStateException("loopback responder answered " + r.statusCode() + " " + r.body());
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            client.shutdownNow();
            executor.shutdownNow();
            server.close();
        }
    }

    /** A client that has been shut down: its sendAsync fails at once, inside the instrumented funnel. */
    @State(Scope.Thread)
    public static class ShutDown {
        HttpClient client;
        HttpRequest request;
        final HttpResponse.BodyHandler<String> handler = HttpResponse.BodyHandlers.ofString();

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            client = shutDownClient();
            request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:9/never")).GET().build();
            // Sanity check with the probe's HEAD: a GET here could satisfy the end-of-fork check on its own.
            if (!client.sendAsync(probeRequest(), handler).isCompletedExceptionally()) {
                throw new IllegalStateException("sendAsync on a shut-down client did not fail at once");
            }
        }
    }

    /**
     * The agent's bridge as installed in this JVM ({@code jdk.internal.net.http.YawlMetricsHttpBridge},
     * defined inside {@code java.net.http} by the agent; its package is opened to the class path's
     * unnamed module, the agent's own, which this benchmark shares), or absent in a plain fork.
     * Constant method handles, so the JIT inlines the calls as it does the advice's.
     */
    static final class Bridge {
        static final String NAME = "jdk.internal.net.http.YawlMetricsHttpBridge";
        static final MethodHandle START;
        static final MethodHandle START_SEND;
        static final MethodHandle WRAP;
        static final MethodHandle END;
        static final MethodHandle END_SEND;
        static final boolean PRESENT;

        static {
            MethodHandle start = null;
            MethodHandle startSend = null;
            MethodHandle wrap = null;
            MethodHandle end = null;
            MethodHandle endSend = null;
            try {
                Class<?> bridge = Class.forName(NAME, true, HttpClient.class.getClassLoader());
                MethodHandles.Lookup lookup = MethodHandles.lookup();
                start = lookup.findStatic(bridge, "start", MethodType.methodType(Object.class, HttpRequest.class));
                startSend = lookup.findStatic(bridge, "startSend", MethodType.methodType(Object.class, HttpRequest.class));
                wrap = lookup.findStatic(bridge, "wrap", MethodType.methodType(HttpResponse.BodyHandler.class,
                        HttpResponse.BodyHandler.class, Object.class));
                end = lookup.findStatic(bridge, "end", MethodType.methodType(void.class, Object.class, Object.class));
                endSend = lookup.findStatic(bridge, "endSend", MethodType.methodType(void.class, Object.class, Object.class));
            } catch (ClassNotFoundException plainFork) {
                // no agent: the benchmark runs the same work without the bridge calls
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("agent's bridge found but not callable", e);
            }
            START = start;
            START_SEND = startSend;
            WRAP = wrap;
            END = end;
            END_SEND = endSend;
            PRESENT = start != null;
        }
    }

    /** What a successful request hands the bridge, with no I/O: a request, the caller's body handler, a response. */
    @State(Scope.Thread)
    public static class NoIo {
        final HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:9/ok")).GET().build();
        final HttpResponse.BodySubscriber<String> subscriber = HttpResponse.BodySubscribers.replacing("ok");
        final HttpResponse.BodyHandler<String> handler = info -> subscriber;
        final HttpResponse<String> response = new OkResponse(request);

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            awaitAgentReady();   // the bridge exists once a request was recorded
            if (AgentPort.configured() != 0 && !Bridge.PRESENT) {
                throw new IllegalStateException("agent attached but " + Bridge.NAME + " is not defined");
            }
        }
    }

    static HttpClient shutDownClient() throws InterruptedException {
        HttpClient c = engineLikeClient(Executors.newVirtualThreadPerTaskExecutor());
        c.shutdownNow();
        if (!c.awaitTermination(Duration.ofSeconds(10))) {
            throw new IllegalStateException("HttpClient did not terminate");
        }
        return c;
    }

    static HttpRequest probeRequest() {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:9/probe")).HEAD().build();
    }

    private static volatile boolean agentReady;

    /** With the agent: returns once a probe request was recorded, i.e. HttpClientImpl is transformed. */
    @Setup(Level.Trial)
    public void awaitInstrumented() throws Exception {
        awaitAgentReady();
    }

    static synchronized void awaitAgentReady() throws Exception {
        int port = AgentPort.awaitBound(30_000);
        if (port == 0 || agentReady) {
            return;
        }
        HttpClient probe = shutDownClient();
        HttpRequest head = probeRequest();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            probe.sendAsync(head, HttpResponse.BodyHandlers.discarding());
            if (sample(agentMetrics(port), PROBE_SERIES) > 0) {
                agentReady = true;
                return;
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("agent attached but never recorded a java.net.http request within 30 s; /metrics:\n"
                + agentMetrics(port));
    }

    @Override
    protected String recordedSeries(String method) {
        return switch (method) {
            case "bridgeAndRecorderOnly", "bridgeAndRecorderOnlySync", "sendLoopback" -> "yawl_http_client_requests_sent_total{method=\"GET\",status_class=\"2xx\"}";
            case "sendAsyncShutDownClient" -> "yawl_http_client_requests_sent_total{method=\"GET\",status_class=\"none\"}";
            default -> throw new IllegalArgumentException(method);
        };
    }

    /**
     * The calls the inlined advice makes around one successful request, on the agent's installed
     * bridge, recorder and registry: start (before the JDK's sendAsync runs), wrap of the body
     * handler, end (the returned future is watched), the headers callback (the JDK applies the
     * wrapped handler when the response head arrives), completion with a 200 response (counter,
     * histogram, gauges). The plain fork does the same minus the bridge calls: future, handler
     * applied, future completed and joined.
     */
    @Benchmark
    @SuppressWarnings("unchecked")
    public Object bridgeAndRecorderOnly(NoIo n) throws Throwable {
        CompletableFuture<HttpResponse<String>> cf = new CompletableFuture<>();
        HttpResponse.BodyHandler<String> handler = n.handler;
        if (Bridge.PRESENT) {
            Object token = (Object) Bridge.START.invokeExact(n.request);
            handler = (HttpResponse.BodyHandler<String>) Bridge.WRAP.invokeExact((HttpResponse.BodyHandler) n.handler, token);
            Bridge.END.invokeExact(token, (Object) cf);
        }
        HttpResponse.BodySubscriber<String> sub = handler.apply(null);
        cf.complete(n.response);
        return sub == n.subscriber ? cf.join() : null;
    }

    /**
     * The same for a synchronous {@code send}, the engine's path (every etcd call, so every
     * heartbeat renewal): start at send's entry and send's exit with the response, recorded right
     * there on the caller's thread; the caller's body handler is not wrapped, so no headers
     * callback, and no stage on any future. The plain fork applies the handler and returns the response.
     */
    @Benchmark
    public Object bridgeAndRecorderOnlySync(NoIo n) throws Throwable {
        HttpResponse.BodyHandler<String> handler = n.handler;
        Object token = null;
        if (Bridge.PRESENT) {
            token = (Object) Bridge.START_SEND.invokeExact(n.request);
        }
        HttpResponse.BodySubscriber<String> sub = handler.apply(null);
        if (Bridge.PRESENT) {
            Bridge.END_SEND.invokeExact(token, (Object) n.response);
        }
        return sub == n.subscriber ? n.response : null;
    }

    @Benchmark
    public HttpResponse<String> sendLoopback(Loopback l) throws Exception {
        return l.client.send(l.request, HttpResponse.BodyHandlers.ofString());
    }

    @Benchmark
    public CompletableFuture<HttpResponse<String>> sendAsyncShutDownClient(ShutDown s) {
        return s.client.sendAsync(s.request, s.handler);
    }

    /** A 200 response as the JDK would complete the caller's future with. */
    static final class OkResponse implements HttpResponse<String> {
        private final HttpRequest request;

        OkResponse(HttpRequest request) { this.request = request; }

        @Override public int statusCode() { return 200; }
        @Override public HttpRequest request() { return request; }
        @Override public Optional<HttpResponse<String>> previousResponse() { return Optional.empty(); }
        @Override public HttpHeaders headers() { return HttpHeaders.of(Map.of(), (a, b) -> true); }
        @Override public String body() { return "ok"; }
        @Override public Optional<SSLSession> sslSession() { return Optional.empty(); }
        @Override public URI uri() { return request.uri(); }
        @Override public HttpClient.Version version() { return HttpClient.Version.HTTP_1_1; }
    }
}
