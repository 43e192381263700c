package dev.yawlmetrics.it.endpoint;

import dev.yawlmetrics.fixtures.hosts.CoreHost;
import dev.yawlmetrics.testsupport.AgentJvm;
import dev.yawlmetrics.testsupport.Scrape;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The endpoint under clients an attacker on the same network could run (issue 13, items 1-5).
 * Loopback only; every loop is bounded in count and in time.
 */
class HostileClientsTest {
    private static AgentJvm jvm;
    private static long pid;

    @BeforeAll
    static void start() throws Exception {
        jvm = AgentJvm.builder(CoreHost.class).agentArgs("port=0,host=127.0.0.1").start().awaitReady();
        jvm.command("market 2");
        pid = jvm.process().pid();
    }

    @AfterAll
    static void stop() {
        jvm.close();
    }

    private static String metrics() {
        return RawHttp.get(jvm.metricsPath());
    }

    @Test
    void clientsThatVanishMidAnswerLeaveNoDescriptorBehind() throws Exception {
        assertEquals(200, RawHttp.send(jvm.port(), metrics(), 5000).status());
        Thread.sleep(300);
        int before = RawHttp.openFds(pid);
        byte[] request = ("GET " + jvm.metricsPath() + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        AtomicInteger sent = new AtomicInteger();
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int thread = t;
            done.add(pool.submit(() -> {
                for (int i = 0; i < 125 && System.nanoTime() < deadline; i++) {
                    try (Socket s = new Socket()) {
                        s.connect(new InetSocketAddress("127.0.0.1", jvm.port()), 2000);
                        s.getOutputStream().write(request);
                        if ((thread + i) % 2 == 0) {
                            s.setSoLinger(true, 0); // half of them reset instead of closing
                        }
                        sent.incrementAndGet();
                    } catch (IOException ignored) {
                        // a refused connect is fine; the count below says how many were sent
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get(90, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertTrue(sent.get() >= 990, "sent " + sent.get());
        int after = -1;
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < until) {
            after = RawHttp.openFds(pid);
            if (after <= before + 2) {
                break;
            }
            Thread.sleep(100);
        }
        assertTrue(after <= before + 2, "open descriptors " + before + " before, " + after + " 10 s after "
                + sent.get() + " vanished clients");
        // Workers still finishing the flood's last writes answer 503 + Retry-After (the defined
        // overload answer); a scraper that honours Retry-After gets its 200 within a few seconds.
        int status = -1;
        long retryUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < retryUntil) {
            status = RawHttp.send(jvm.port(), metrics(), 5000).status();
            if (status != 503) {
                break;
            }
            Thread.sleep(1000);
        }
        assertEquals(200, status, "the endpoint serves again after the flood");
    }

    @Test
    void halfSentRequestsCannotBlockScrapes() throws Exception {
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 100; i++) {
                Socket s = new Socket();
                s.connect(new InetSocketAddress("127.0.0.1", jvm.port()), 2000);
                s.getOutputStream().write(("GET " + jvm.metricsPath() + " HTTP/1.1\r\nHost: x\r\nX-Slow: ")
                        .getBytes(StandardCharsets.ISO_8859_1));
                slow.add(s);
            }
            Thread.sleep(500);
            for (int i = 0; i < 3; i++) {
                long t0 = System.nanoTime();
                RawHttp.Answer a = RawHttp.send(jvm.port(), metrics(), 5000);
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                assertEquals(200, a.status(), a.text().length() > 300 ? a.text().substring(0, 300) : a.text());
                assertTrue(ms < 1000, "scrape took " + ms + " ms with 100 half-sent requests open");
            }
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
        Scrape s = Scrape.parse(RawHttp.send(jvm.port(), metrics(), 5000).text().split("\r\n\r\n", 2)[1]);
        assertTrue(s.value("yawl_metrics_agent_http_rejected_total", "reason", "evicted_idle") >= 3, s.text());
    }

    @Test
    void byteByByteClientsCannotBlockScrapes() throws Exception {
        List<Socket> trickle = new ArrayList<>();
        byte[] request = ("GET " + jvm.metricsPath() + " HTTP/1.1\r\nHost: x\r\nX-Padding: "
                + "a".repeat(400) + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        try {
            for (int i = 0; i < 50; i++) {
                Socket s = new Socket();
                s.connect(new InetSocketAddress("127.0.0.1", jvm.port()), 2000);
                trickle.add(s);
            }
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
            int scrapes = 0;
            for (int b = 0; System.nanoTime() < end && b < request.length; b++) {
                for (Socket s : trickle) {
                    try {
                        s.getOutputStream().write(request[b]);
                    } catch (IOException evicted) {
                        // the endpoint may close a trickling client to make room; that is allowed
                    }
                }
                if (b % 10 == 0) {
                    long t0 = System.nanoTime();
                    RawHttp.Answer a = RawHttp.send(jvm.port(), metrics(), 5000);
                    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                    assertEquals(200, a.status());
                    assertTrue(ms < 1000, "scrape took " + ms + " ms with 50 byte-by-byte clients");
                    scrapes++;
                }
                Thread.sleep(20);
            }
            assertTrue(scrapes >= 5, "only " + scrapes + " scrapes");
        } finally {
            for (Socket s : trickle) {
                s.close();
            }
        }
    }

    @Test
    void aStalledRequestIsClosedAtItsDeadline() throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", jvm.port()), 2000);
            s.setSoTimeout(20_000);
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.ISO_8859_1));
            long t0 = System.nanoTime();
            int r;
            try {
                r = s.getInputStream().read();
            } catch (IOException reset) {
                r = -1;
            }
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertEquals(-1, r);
            assertTrue(ms >= 9_000 && ms < 15_000, "closed after " + ms + " ms; the head deadline is 10 s");
        }
        assertTrue(jvm.scrape().value("yawl_metrics_agent_http_timeouts_total") >= 1);
    }

    @Test
    void overloadGetsHttpAnswersAndThreadsStayBounded() throws Exception {
        int threadsBefore = RawHttp.threads(pid);
        int clients = 64;
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger busy = new AtomicInteger();
        AtomicInteger busyWithoutRetryAfter = new AtomicInteger();
        AtomicInteger none = new AtomicInteger();
        AtomicInteger other = new AtomicInteger();
        AtomicInteger maxThreads = new AtomicInteger();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            done.add(pool.submit(() -> {
                for (int i = 0; i < 10_000 && System.nanoTime() < end; i++) {
                    RawHttp.Answer a = RawHttp.send(jvm.port(), metrics(), 10_000);
                    switch (a.status()) {
                        case 200 -> ok.incrementAndGet();
                        case 503 -> {
                            busy.incrementAndGet();
                            if (a.header("Retry-After") == null) {
                                busyWithoutRetryAfter.incrementAndGet();
                            }
                        }
                        case -1 -> none.incrementAndGet();
                        default -> other.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        while (System.nanoTime() < end) {
            maxThreads.accumulateAndGet(RawHttp.threads(pid), Math::max);
            Thread.sleep(200);
        }
        for (Future<?> f : done) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        int total = ok.get() + busy.get() + none.get() + other.get();
        String summary = total + " requests: " + ok + " x 200, " + busy + " x 503, " + other + " other, " + none + " without status";
        System.out.println("overload: " + summary + "; engine threads " + threadsBefore + " before, max " + maxThreads + " during");
        assertTrue(total >= 200, summary);
        assertTrue(ok.get() + busy.get() >= 0.99 * total, summary);
        assertEquals(0, other.get(), summary);
        assertEquals(0, busyWithoutRetryAfter.get(), "every 503 carries Retry-After");
        assertTrue(maxThreads.get() <= threadsBefore + 64 + 8, "threads " + threadsBefore + " before, " + maxThreads + " during");
    }

    @Test
    void malformedAndOversizedRequestsGetDefinedAnswers() {
        String m = jvm.metricsPath();
        Object[][] cases = {
                {"GARBAGE\r\n\r\n", 400},
                {"\u0000\u0001\u0002binary\r\n\r\n", 400},
                {"GET " + m + " HTTP/2.0\r\n\r\n", 505},
                {"GET " + m + " HTTP/1.1\r\nX-Big: " + "b".repeat(9000) + "\r\n\r\n", 431},
                {"GET /" + "p".repeat(3000) + " HTTP/1.1\r\n\r\n", 414},
                {"GET " + m + " HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n", 400},
                {"GET " + m + " HTTP/1.1\r\nno colon here\r\n\r\n", 400},
                {"GET metrics HTTP/1.1\r\n\r\n", 400},
                {"GET " + m + " HTTP/1.1\r\n" + "H: v\r\n".repeat(70) + "\r\n", 431},
                {"POST " + m + " HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello", 405},
                {"DELETE " + m + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 405},
                {"GET /nothing-here HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 404},
                {"GET http://127.0.0.1" + m + "?x=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 200},
                {"GET " + m + " HTTP/1.0\r\n\r\n", 200},
        };
        for (Object[] c : cases) {
            RawHttp.Answer a = RawHttp.send(jvm.port(), (String) c[0], 5000);
            String shown = ((String) c[0]).length() > 60 ? ((String) c[0]).substring(0, 60) + "..." : (String) c[0];
            assertEquals((int) c[1], a.status(), "answer to " + shown.replace("\r\n", "\\r\\n") + ": " + a.text());
        }
        // Pipelined: two requests in one write, two answers, in order, on one connection.
        RawHttp.Answer two = RawHttp.send(jvm.port(), "GET / HTTP/1.1\r\nHost: x\r\n\r\nGET /nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 5000);
        assertEquals(200, two.status());
        assertTrue(two.text().contains("HTTP/1.1 404 Not Found"), two.text());
        // Failed requests are logged at most once a minute per kind, with the count.
        long badRequestLines = jvm.agentLog().stream().filter(l -> l.contains("bad request")).count();
        assertTrue(badRequestLines >= 1 && badRequestLines <= 2, "bad-request lines: " + badRequestLines + "\n" + jvm.describe());
    }

    @Test
    void keepAliveServesSeveralRequestsOnOneConnection() throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", jvm.port()), 2000);
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            for (int i = 0; i < 3; i++) {
                out.write(("HEAD " + jvm.metricsPath() + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                String head = readHead(in);
                assertTrue(head.startsWith("HTTP/1.1 200 OK"), head);
                assertTrue(head.contains("Connection: keep-alive"), head);
            }
        }
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (!sb.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            assertFalse(b < 0, "closed after " + sb);
            sb.append((char) b);
        }
        return sb.toString();
    }

    @Test
    void theAgentSetsNoJvmWideHttpServerProperty() throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "VM.system_properties").redirectErrorStream(true).start();
        String props = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertTrue(props.contains("java.version"), props);
        assertFalse(props.contains("sun.net.httpserver"), props);
    }

    @Test
    void endpointSelfMetricsCountAnswersByCode() throws Exception {
        RawHttp.send(jvm.port(), RawHttp.get("/no-such-page"), 5000);
        Scrape s = jvm.scrape();
        assertTrue(s.value("yawl_metrics_agent_http_requests_total", "code", "404") >= 1, s.text());
        assertTrue(s.value("yawl_metrics_agent_http_requests_total", "code", "200") >= 1);
        assertNotNull(s.find("yawl_metrics_agent_http_connections_open"));
        assertTrue(s.value("yawl_metrics_agent_http_connections_open") >= 1, "the scrape's own connection is open");
        assertTrue(s.value("process_open_fds") > 0);
        assertTrue(s.value("process_max_fds") >= s.value("process_open_fds"));
        assertTrue(s.has("yawl_metrics_agent_http_rejected_total", "reason", "workers_busy"));
        assertTrue(s.has("yawl_metrics_agent_web_config_errors_total"));
    }
}
