package dev.yawlmetrics.it.httpclient;

import dev.yawlmetrics.fixtures.hosts.HttpClientHost;
import dev.yawlmetrics.fixtures.hosts.PreloadHttpClientAgent;
import dev.yawlmetrics.testsupport.AgentJvm;
import dev.yawlmetrics.testsupport.Scrape;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JDK's own HttpClient, instrumented inside java.net.http, sending real requests over
 * loopback from a forked JVM: sync and async, platform and virtual threads, every outcome.
 */
class HttpClientRequestsTest {
    private static final String SENT = "yawl_http_client_requests_sent_total";

    @Test
    void everyOutcomeIsCountedAndNothingStaysInFlight() throws Exception {
        try (AgentJvm jvm = AgentJvm.builder(HttpClientHost.class).start().awaitReady()) {
            assertEquals("200=3", jvm.command("send sync platform fast 3"));
            // A synchronous send is recorded by its own exit, on the caller's thread, before it returns.
            Scrape sync = jvm.scrape();
            assertEquals(3.0, sync.sum(SENT), sync.text());
            assertEquals(3.0, sync.value("yawl_http_client_request_latency_ms_count"), sync.text());
            assertEquals(0.0, sync.value("yawl_http_client_connections_active"), sync.text());
            assertEquals("200=2", jvm.command("send async virtual fast 2"));
            assertEquals("500=2", jvm.command("send sync virtual error 2"));
            assertEquals("500=1", jvm.command("send async platform error 1"));
            assertEquals("HttpTimeoutException=2", jvm.command("send sync virtual slow 2"));
            assertEquals("HttpTimeoutException=1", jvm.command("send async platform slow 1"));
            assertEquals("ConnectException=2", jvm.command("send async virtual refused 2"));
            assertEquals("ConnectException=1", jvm.command("send sync platform refused 1"));
            assertEquals("HttpConnectTimeoutException=1", jvm.command("send sync platform blackhole 1"));
            assertEquals("status=200", jvm.command("post"));

            // An asynchronous caller may see its answer a moment before the agent's callback has counted it.
            Scrape s = jvm.scrapeUntil("16 requests counted, none in flight", TEN_S,
                    x -> x.sum(SENT) == 16.0 && x.value("yawl_http_client_request_latency_ms_count") == 16.0
                            && x.value("yawl_http_client_connections_active") == 0.0
                            && x.value("yawl_http_client_connections_pending") == 0.0);
            assertEquals(5.0, s.value(SENT, "method", "GET", "status_class", "2xx"), s.text());
            assertEquals(3.0, s.value(SENT, "method", "GET", "status_class", "5xx"));
            assertEquals(7.0, s.value(SENT, "method", "GET", "status_class", "none"));
            assertEquals(1.0, s.value(SENT, "method", "POST", "status_class", "2xx"));
            assertEquals(16.0, s.sum(SENT));
            assertEquals(3.0, s.value("yawl_http_client_connection_timeout_count_total", "reason", "request"));
            assertEquals(1.0, s.value("yawl_http_client_connection_timeout_count_total", "reason", "connect"));
            assertEquals(16.0, s.value("yawl_http_client_request_latency_ms_count"));
            // Three requests waited for the 300 ms timeout: they sit above the 200 ms bucket.
            assertTrue(s.value("yawl_http_client_request_latency_ms_bucket", "le", "200.0")
                    <= 13.0, s.text());
            assertTrue(s.has("yawl_http_client_request_latency_ms_bucket", "le", "500.0"));
            assertEquals("histogram", s.types().get("yawl_http_client_request_latency_ms"));
            assertEquals(0.0, s.value("yawl_http_client_connections_active"));
            assertEquals(0.0, s.value("yawl_http_client_connections_pending"));
            assertEquals(0.0, s.value("yawl_http_client_pool_utilization_percent"));
            assertEquals(1.0, s.value("yawl_metrics_agent_instrumentation_applied", "instrumentation", "httpclient"));
            assertEquals(0.0, s.value("yawl_metrics_agent_recording_errors_total", "instrumentation", "httpclient"));
            assertTrue(jvm.agentLogShows(l -> l.contains("httpclient: instrumented jdk.internal.net.http.HttpClientImpl")),
                    jvm.describe());
            assertNoJvmWarnings(jvm);
        }
    }

    @Test
    void inFlightRequestsAreVisibleAndCancelledOnesAreNotLeftInFlight() throws Exception {
        try (AgentJvm jvm = AgentJvm.builder(HttpClientHost.class)
                .sysProp("yawl.instrumentation.httpclient.capacity", "8").start().awaitReady()) {
            // Four requests to /hang (3 s) without a timeout, left running in the background.
            assertEquals("started=4", jvm.command("background 4"));
            Scrape during = jvm.scrapeUntil("4 requests in flight", TEN_S,
                    x -> x.value("yawl_http_client_connections_active") == 4.0 && x.value("yawl_http_client_connections_pending") == 4.0
                            && x.value("yawl_http_client_pool_utilization_percent") == 50.0);
            assertEquals(50.0, during.value("yawl_http_client_pool_utilization_percent"), during.text());
            assertEquals(4.0, during.value("yawl_http_client_connections_pending"), during.text());

            assertEquals("cancelled=3", jvm.command("cancel 3"));
            // Cancelling the caller's future ends the request for the metrics at once.
            Scrape cancelled = jvm.scrapeUntil("3 requests cancelled and counted", TEN_S,
                    x -> x.value("yawl_http_client_connections_active") == 1.0
                            && x.value(SENT, "method", "GET", "status_class", "none") == 3.0);
            assertEquals(3.0, cancelled.value(SENT, "method", "GET", "status_class", "none"), cancelled.text());
            // The one left running completes with its 200 after 3 s.
            Scrape after = jvm.scrapeUntil("the last request completed and counted", TEN_S,
                    x -> x.value("yawl_http_client_connections_active") == 0.0 && x.value("yawl_http_client_connections_pending") == 0.0
                            && x.sum(SENT) == 4.0);
            assertEquals(0.0, after.value("yawl_http_client_connections_pending"));
            assertEquals(4.0, after.sum(SENT), after.text());
            assertEquals(1.0, after.value(SENT, "method", "GET", "status_class", "2xx"));
            assertNoJvmWarnings(jvm);
        }
    }

    /**
     * Pending means "the caller cannot use a response yet": an asynchronous request stops being
     * pending when its headers arrive (the agent wraps its body handler), a synchronous send when
     * it returns (its handler is the caller's own: the client's threads run no agent code for it).
     * /trickle sends its headers at once and its body 4 s later.
     */
    @Test
    void aSendIsPendingUntilItReturnsAnAsyncRequestUntilItsHeadersArrive() throws Exception {
        try (AgentJvm jvm = AgentJvm.builder(HttpClientHost.class).start().awaitReady()) {
            assertEquals("started=1", jvm.command("trickle async 1"));
            assertEquals("started=1", jvm.command("trickle sync 1"));
            jvm.scrapeUntil("2 in flight, the async one past its headers", TEN_S,
                    x -> x.value("yawl_http_client_connections_active") == 2.0
                            && x.value("yawl_http_client_connections_pending") == 1.0);
            // Both requests' headers have been out for a while now; the send is still pending.
            Thread.sleep(1000);
            Scrape during = jvm.scrape();
            assertEquals(2.0, during.value("yawl_http_client_connections_active"), during.text());
            assertEquals(1.0, during.value("yawl_http_client_connections_pending"), during.text());
            assertEquals(0.0, during.sum(SENT), during.text());
            Scrape after = jvm.scrapeUntil("both bodies read, both counted", TEN_S,
                    x -> x.sum(SENT) == 2.0 && x.value("yawl_http_client_connections_active") == 0.0);
            assertEquals(0.0, after.value("yawl_http_client_connections_pending"), after.text());
            assertEquals(2.0, after.value(SENT, "method", "GET", "status_class", "2xx"), after.text());
            assertNoJvmWarnings(jvm);
        }
    }

    @Test
    void allowlistedHostsBecomeAHostLabelOthersDoNot() throws Exception {
        try (AgentJvm jvm = AgentJvm.builder(HttpClientHost.class)
                .sysProp("yawl.instrumentation.httpclient.hosts", "127.0.0.1").start().awaitReady()) {
            jvm.command("send sync platform fast 2");
            jvm.command("send sync platform localhost 1");
            Scrape s = jvm.scrapeUntil("3 requests counted", TEN_S,
                    x -> x.sum(SENT) == 3.0 && x.value("yawl_http_client_connections_active") == 0.0);
            assertEquals(2.0, s.value(SENT, "host", "127.0.0.1", "status_class", "2xx"), s.text());
            // "localhost" is not on the list (whether it answers over ::1 or 127.0.0.1).
            assertEquals(1.0, s.sum(SENT, "host", "other"), s.text());
            assertEquals(2.0, s.value("yawl_http_client_request_latency_ms_count", "host", "127.0.0.1"));
        }
    }

    /**
     * HttpClientImpl already loaded (and used) when our agent starts: a preloading agent runs
     * first. The class is instrumented by the start-up thread's retransformation. (The related
     * "loaded while the bridge does not exist yet" path is the gate's ready() check, unit-tested
     * in ClassLoadGateReadyTest: in forked JVMs our start-up thread wins that race every time.)
     */
    @Test
    void clientLoadedBeforeTheAgentIsInstrumentedByRetransformation() throws Exception {
        try (AgentJvm jvm = AgentJvm.builder(HttpClientHost.class).withoutAgent()
                .jvmArg("-javaagent:" + preloadAgentJar())
                .jvmArg("-javaagent:" + AgentJvm.agentJar() + "=port=0,host=127.0.0.1")
                .start().awaitReady()) {
            awaitValue(jvm, "yawl_metrics_agent_instrumentation_applied", 1.0, "instrumentation", "httpclient");
            assertTrue(jvm.stderr().indexOf("preload agent: HttpClientImpl loaded")
                    < jvm.stderr().stream().filter(l -> l.contains("starting on Java")).findFirst().map(jvm.stderr()::indexOf).orElse(-1),
                    "the preload agent did not run first:\n" + jvm.describe());
            assertEquals("200=3", jvm.command("send async virtual fast 3"));
            Scrape s = jvm.scrapeUntil("3 requests counted", TEN_S,
                    x -> x.sum(SENT) == 3.0 && x.value("yawl_http_client_connections_active") == 0.0);
            assertEquals(3.0, s.value(SENT, "method", "GET", "status_class", "2xx"), s.text());
            assertEquals(0.0, s.value("yawl_http_client_connections_active"));
            assertNoJvmWarnings(jvm);
        }
    }

    @Test
    void switchedOffLeavesTheJdkClientAlone() throws Exception {
        try (AgentJvm jvm = AgentJvm.builder(HttpClientHost.class)
                .sysProp("yawl.instrumentation.httpclient.enabled", "false").start().awaitReady()) {
            assertEquals("200=2", jvm.command("send sync platform fast 2"));
            Scrape s = jvm.scrape();
            assertTrue(s.find(SENT).isEmpty(), s.text());
            assertEquals(0.0, s.value("yawl_metrics_agent_instrumentation_applied", "instrumentation", "httpclient"));
        }
    }

    /** A manifest-only agent jar: its Premain-Class is found on the host's class path. */
    static Path preloadAgentJar() throws Exception {
        Path jar = Files.createTempFile("preload-agent", ".jar");
        jar.toFile().deleteOnExit();
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Premain-Class", PreloadHttpClientAgent.class.getName());
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            out.flush();
        }
        return jar;
    }

    /** The bridge needs no boot class path and no Unsafe: the JVM prints no warning at all. */
    static void assertNoJvmWarnings(AgentJvm jvm) {
        List<String> bad = jvm.stderr().stream()
                .filter(l -> l.contains("WARNING: ") || l.contains("Sharing is only supported")).toList();
        assertTrue(bad.isEmpty(), "JVM warnings on stderr: " + bad + "\n" + jvm.describe());
    }

    static final Duration TEN_S = Duration.ofSeconds(10);

    static Scrape awaitValue(AgentJvm jvm, String name, double expected, String... labels) throws Exception {
        return jvm.scrapeUntil(name + " = " + expected, TEN_S, x -> x.value(name, labels) == expected);
    }
}
