package dev.yawlmetrics.agent.endpoint;

import dev.yawlmetrics.agent.metrics.EndpointStats;
import dev.yawlmetrics.agent.config.MetricsAgentConfig;
import dev.yawlmetrics.agent.config.ConfigLoader;
import dev.yawlmetrics.agent.metrics.MetricsAgentRegistry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The server's limits with small values, so each one is seen to act within a unit test. */
class EndpointLimitsTest {
    private final List<Socket> sockets = new ArrayList<>();
    private MetricsEndpoint endpoint;

    @AfterEach
    void close() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
        if (endpoint != null) {
            endpoint.stop();
        }
    }

    private static EndpointServer.Limits small() {
        EndpointServer.Limits l = new EndpointServer.Limits();
        l.maxConnections = 4;
        l.maxIdleKeepAlive = 1;
        l.headMillis = 600;
        l.idleMillis = 400;
        l.writeMillis = 600;
        l.evictableAfterMillis = 60_000;
        l.sweepMillis = 50;
        return l;
    }

    private MetricsEndpoint start(PrometheusMeterRegistry registry, String args, EndpointServer.Limits limits) {
        MetricsAgentConfig config = ConfigLoader.load("port=0,host=127.0.0.1" + args, Map.of(), Map.of());
        endpoint = MetricsEndpoint.start(config, registry, limits);
        return endpoint;
    }

    private Socket connect() throws IOException {
        Socket s = new Socket();
        sockets.add(s);
        s.connect(new InetSocketAddress("127.0.0.1", endpoint.port()), 2000);
        s.setSoTimeout(5000);
        return s;
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (!sb.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return sb.toString();
            }
            sb.append((char) b);
        }
        return sb.toString();
    }

    private static void send(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Reads the answer's head and skips its body. */
    private static String answer(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        String head = readHead(in);
        int at = head.indexOf("Content-Length: ");
        if (at >= 0) {
            int len = Integer.parseInt(head.substring(at + 16, head.indexOf("\r\n", at)));
            in.readNBytes(len);
        }
        return head;
    }

    @Test
    void anIdleEndpointDoesNotWakeUpAndStillEnforcesDeadlinesOnceAClientComes() throws Exception {
        start(MetricsAgentRegistry.newRegistry(Map.of()), "", small());
        long before = endpoint.acceptorWakeups();
        Thread.sleep(600); // 12 sweep periods
        assertTrue(endpoint.acceptorWakeups() - before <= 1, "idle acceptor woke " + (endpoint.acceptorWakeups() - before) + " times");
        // A client that never sends a request arrives while the acceptor is blocked without a
        // timeout: the head deadline (600 ms) must still close it.
        Socket s = connect();
        long t0 = System.nanoTime();
        assertEquals(-1, s.getInputStream().read(), "closed by the server");
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(ms < 4000, "closed after " + ms + " ms; the head deadline is 600 ms");
        // The connection's thread leaves the set in its finally, later on a busy machine: wait
        // (bounded) until the acceptor has stopped sweeping, then hold it to staying asleep.
        long seen = -1;
        for (int i = 0; i < 40 && endpoint.acceptorWakeups() != seen; i++) {
            seen = endpoint.acceptorWakeups();
            Thread.sleep(150);
        }
        long idleAgain = endpoint.acceptorWakeups();
        Thread.sleep(600);
        assertTrue(endpoint.acceptorWakeups() - idleAgain <= 1, "acceptor kept waking after the last connection closed");
    }

    @Test
    void idleKeepAliveConnectionIsClosedAtTheIdleDeadline() throws Exception {
        start(MetricsAgentRegistry.newRegistry(Map.of()), "", small());
        Socket s = connect();
        send(s, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        assertTrue(answer(s).contains("Connection: keep-alive"));
        long t0 = System.nanoTime();
        assertEquals(-1, s.getInputStream().read());
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(ms >= 350 && ms < 3000, "idle connection closed after " + ms + " ms; deadline 400");
    }

    @Test
    void onlyLimitedIdleKeepAliveConnections() throws Exception {
        start(MetricsAgentRegistry.newRegistry(Map.of()), "", small());
        Socket a = connect();
        send(a, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        assertTrue(answer(a).contains("Connection: keep-alive"));
        Socket b = connect();
        send(b, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        assertTrue(answer(b).contains("Connection: close"), "a second idle connection is over the cap of 1");
    }

    @Test
    void whenEverySlotIsTakenByFreshConnectionsTheNewcomerGets503() throws Exception {
        start(MetricsAgentRegistry.newRegistry(Map.of()), "", small());
        for (int i = 0; i < 4; i++) {
            send(connect(), "GET / HTTP/1.1\r\n");
        }
        Thread.sleep(100);
        long before = EndpointStats.rejected(EndpointStats.Rejection.CONNECTIONS);
        Socket late = connect();
        String head = readHead(late.getInputStream());
        assertTrue(head.startsWith("HTTP/1.1 503 "), head);
        assertTrue(head.contains("Retry-After: 1"), head);
        assertEquals(before + 1, EndpointStats.rejected(EndpointStats.Rejection.CONNECTIONS));
    }

    @Test
    void oldSlowConnectionIsEvictedForANewOne() throws Exception {
        EndpointServer.Limits limits = small();
        limits.evictableAfterMillis = 100;
        limits.headMillis = 30_000;
        start(MetricsAgentRegistry.newRegistry(Map.of()), "", limits);
        List<Socket> slow = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Socket s = connect();
            send(s, "GET / HTTP/1.1\r\n");
            slow.add(s);
            // A connection's age counts from when its worker starts reading; spaced out, the order
            // of ages is the order of connects even when a loaded machine starts workers late.
            Thread.sleep(150);
        }
        Thread.sleep(150);
        Socket fresh = connect();
        send(fresh, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        String head = answer(fresh);
        assertTrue(head.startsWith("HTTP/1.1 200 "), head);
        assertEquals(-1, slow.get(0).getInputStream().read(), "the oldest slow connection was closed");
    }

    @Test
    void aClientThatNeverReadsIsClosedAtTheWriteDeadline() throws Exception {
        PrometheusMeterRegistry registry = MetricsAgentRegistry.newRegistry(Map.of());
        String longName = "x".repeat(200);
        for (int i = 0; i < 20_000; i++) {
            Gauge.builder("big.gauge", () -> 1).tag("n", longName + i).register(registry);
        }
        start(registry, "", small());
        long timedOut = EndpointStats.timedOut();
        Socket s = new Socket();
        sockets.add(s);
        s.setReceiveBufferSize(4096);
        s.connect(new InetSocketAddress("127.0.0.1", endpoint.port()), 2000);
        send(s, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (EndpointStats.timedOut() == timedOut && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(timedOut + 1, EndpointStats.timedOut(), "the blocked write was cut at its deadline");
    }

    @Test
    void scrapeBeyondTheWorkerCountGets503WithRetryAfterAtOnce() throws Exception {
        PrometheusMeterRegistry registry = MetricsAgentRegistry.newRegistry(Map.of());
        Gauge.builder("slow.gauge", () -> {
            try {
                Thread.sleep(1500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 1;
        }).register(registry);
        EndpointServer.Limits limits = small();
        limits.writeMillis = 10_000;
        start(registry, ",http.threads=1", limits);
        Socket first = connect();
        CompletableFuture<String> firstAnswer = CompletableFuture.supplyAsync(() -> {
            try {
                send(first, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
                return answer(first);
            } catch (IOException e) {
                return e.toString();
            }
        });
        Thread.sleep(300);
        Socket second = connect();
        long t0 = System.nanoTime();
        send(second, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
        String head = answer(second);
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(head.startsWith("HTTP/1.1 503 "), head);
        assertTrue(head.contains("Retry-After: 1"), head);
        assertTrue(ms < 1000, "503 after " + ms + " ms");
        assertTrue(firstAnswer.get(10, TimeUnit.SECONDS).startsWith("HTTP/1.1 200 "));
    }
}
