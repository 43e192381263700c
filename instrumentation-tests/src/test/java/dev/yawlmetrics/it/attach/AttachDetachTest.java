package dev.yawlmetrics.it.attach;

import dev.yawlmetrics.fixtures.hosts.AttachHost;
import dev.yawlmetrics.testsupport.AgentJvm;
import dev.yawlmetrics.testsupport.Scrape;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An engine that never had the agent gets it attached mid-run, detached, and attached again, all
 * in one JVM; the metrics agree with the engine's own ledger for each attached period, and after
 * the detach nothing of the agent is left running.
 */
class AttachDetachTest {
    static final int AGENTS = 3;
    static final int WORK = 40;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static AgentJvm.Builder engine() {
        return AgentJvm.builder(AttachHost.class).withoutAgent().sysProp("fixture.heartbeat.periodMs", "200")
                .sysProp("fixture.etcd.timeoutMs", "60000"); // a held put must not time out
    }

    @Test
    void attachMidRunDetachAndAttachAgain() throws Exception {
        String reference;
        try (AgentJvm never = engine().start()) {
            never.awaitStdout(l -> l.equals("HOST READY"), Duration.ofSeconds(60));
            never.command("engine " + AGENTS);
            reference = never.command("work " + WORK);
            assertEquals(reference, never.command("work " + WORK), "the fixture's work must be deterministic");
        }

        try (AgentJvm jvm = engine().start()) {
            jvm.awaitStdout(l -> l.equals("HOST READY"), Duration.ofSeconds(60));
            String pid = Long.toString(jvm.process().pid());
            jvm.command("engine " + AGENTS);
            assertEquals(reference, jvm.command("work " + WORK));
            Thread.sleep(500); // heartbeats run without the agent
            String threadsBefore = jvm.command("threads");
            String[] footprintBefore = jvm.command("footprint").split(" ");
            assertEquals(1, Cli.run("status", pid).exit(), "no agent yet");

            // Renewals held in their put while the agent arrives: they finish in the engine's old code,
            // uncounted, and every later renewal runs the rewritten one. The attached period starts here.
            jvm.command("hold");
            Cli attach = Cli.run("attach", pid, "port=0,host=127.0.0.1");
            Map<String, Long> l0 = ledger(jvm);
            jvm.command("release");
            assertEquals(0, attach.exit(), attach.toString());
            assertTrue(attach.err().contains("-XX:+EnableDynamicAgentLoading"), "JEP 451 note: " + attach);
            int port = attach.port();
            assertEquals(reference, jvm.command("work " + WORK), "results unchanged while attached");
            Thread.sleep(1_500);
            jvm.command("hold");
            Map<String, Long> l1 = ledger(jvm);
            Scrape s = scrape(port);
            jvm.command("release");
            assertAgrees(s, l0, l1, jvm);
            Cli status = Cli.run("status", pid);
            assertEquals(0, status.exit(), status.toString());
            assertTrue(status.out().contains("port:             " + port), status.toString());
            assertTrue(status.out().contains("marketplace=applied") && status.out().contains("httpclient=applied")
                    && status.out().contains("heartbeat=applied") && status.out().contains("etcd=applied"), status.toString());

            Cli second = Cli.run("attach", pid, "port=0,host=127.0.0.1");
            assertEquals(1, second.exit(), second.toString());
            assertTrue(second.err().contains("already has the agent") && second.err().contains("nothing changed"), second.toString());
            assertEquals(1, second.err().lines().count(), "one line: " + second);
            assertEquals(200, scrapeStatus(port), "the first agent still serves");

            Cli detach = Cli.run("detach", pid);
            assertEquals(0, detach.exit(), detach.toString());
            assertTrue(detach.out().contains("restored 3 class(es)") && detach.out().contains("3 checked free of agent code"),
                    "AgentMarketplace, EtcdAgentRegistryClient and HttpClientImpl... " + detach);
            assertClosed(port);
            assertEquals(reference, jvm.command("work " + WORK), "results after the detach are those of a run without the agent");
            assertEquals(withoutAttachListener(threadsBefore), withoutAttachListener(jvm.command("threads")),
                    "no thread of the agent is left");
            String[] footprintAfter = jvm.command("footprint").split(" ");
            long classesLeft = Long.parseLong(footprintAfter[0]) - Long.parseLong(footprintBefore[0]);
            long heapLeft = Long.parseLong(footprintAfter[1]) - Long.parseLong(footprintBefore[1]);
            System.out.println("after one attach and detach: +" + classesLeft + " loaded classes, heap after GC "
                    + (heapLeft >= 0 ? "+" : "") + heapLeft / 1024 + " KiB");
            assertTrue(classesLeft > 0, "the agent's classes stay loaded (documented), so the count must grow");
            Cli statusAfter = Cli.run("status", pid);
            assertEquals(1, statusAfter.exit(), statusAfter.toString());
            assertTrue(statusAfter.out().contains("state:            detached"), statusAfter.toString());

            jvm.command("hold");
            Cli again = Cli.run("attach", pid, "port=0,host=127.0.0.1");
            Map<String, Long> l2 = ledger(jvm);
            jvm.command("release");
            assertEquals(0, again.exit(), again.toString());
            assertEquals(reference, jvm.command("work " + WORK));
            Thread.sleep(1_000);
            jvm.command("hold");
            Map<String, Long> l3 = ledger(jvm);
            Scrape s2 = scrape(again.port());
            jvm.command("release");
            assertAgrees(s2, l2, l3, jvm);
            Cli detachAgain = Cli.run("detach", pid);
            assertEquals(0, detachAgain.exit(), detachAgain.toString());
            assertClosed(again.port());
            assertEquals(withoutAttachListener(threadsBefore), withoutAttachListener(jvm.command("threads")));
            assertTrue(jvm.exitAndWait(Duration.ofSeconds(20)), "the engine ends normally");
        }
    }

    /**
     * The attached period's counts against the engine's ledger, both taken with the heartbeats
     * held: at the end one renewal per agent has made its put (in the ledger) but not finished.
     */
    static void assertAgrees(Scrape s, Map<String, Long> before, Map<String, Long> after, AgentJvm jvm) {
        String why = s.text() + "\n" + jvm.describe();
        assertEquals(after.get("queries") - before.get("queries"), s.value("yawl_marketplace_query_latency_ms_count", "query", "namespace"), why);
        assertEquals((after.get("heartbeats") - before.get("heartbeats")) / 2.0,
                s.value("yawl_marketplace_heartbeat_count_total", "outcome", "applied"), why);
        assertEquals((after.get("heartbeats") - before.get("heartbeats")) / 2.0,
                s.value("yawl_marketplace_heartbeat_count_total", "outcome", "stale_check_fail"), why);
        assertEquals(after.get("gets") - before.get("gets"), s.sum("yawl_http_client_requests_sent_total", "method", "GET"), why);
        assertEquals(AGENTS, s.value("yawl_marketplace_listings"), "learned at the first heartbeat after the attach: " + why);
        long renewals = after.get("puts") - before.get("puts") - AGENTS;
        assertTrue(renewals > 0, why);
        assertEquals(renewals, s.sum("yawl_heartbeat_renewal_success_total"), why);
        assertEquals(renewals, s.value("yawl_heartbeat_renewal_success_total", "outcome", "success"), why);
        assertEquals(renewals, s.value("yawl_etcd_requests_total", "query_type", "heartbeat", "outcome", "success"), why);
        assertEquals(1.0, s.value("yawl_metrics_agent_instrumentation_applied", "instrumentation", "jvm"), why);
        assertTrue(s.has("jvm_memory_used_bytes"), why);
    }

    static Map<String, Long> ledger(AgentJvm jvm) throws Exception {
        Map<String, Long> m = new HashMap<>();
        for (String kv : jvm.command("ledger").split(" ")) {
            String[] p = kv.split("=");
            m.put(p[0], Long.parseLong(p[1]));
        }
        return m;
    }

    static Scrape scrape(int port) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return Scrape.parse(r.body());
    }

    static int scrapeStatus(int port) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    static void assertClosed(int port) {
        assertThrows(ConnectException.class, () -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            }
        }, "port " + port + " still open after the detach");
    }

    /**
     * The threads to compare: the JVM's attach listener is started by the attach itself and stays;
     * the engine's own HTTP client and fork-join workers come and go with its load. Everything
     * else (the agent's yawl-metrics-* threads, its endpoint's HTTP-Dispatcher) must be as before.
     */
    static String withoutAttachListener(String threads) {
        StringBuilder sb = new StringBuilder();
        for (String t : threads.split("\\|")) {
            if (t.startsWith("Attach_Listener*") || t.matches("HttpClient-\\d+-Worker-\\d+\\*\\d+")
                    || t.matches("ForkJoinPool-\\d+-worker-\\d+\\*\\d+")) {
                continue;
            }
            sb.append(sb.length() == 0 ? "" : "|").append(t);
        }
        return sb.toString();
    }
}
