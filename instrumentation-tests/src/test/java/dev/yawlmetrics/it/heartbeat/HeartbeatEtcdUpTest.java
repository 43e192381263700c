package dev.yawlmetrics.it.heartbeat;

import dev.yawlmetrics.testsupport.AgentJvm;
import dev.yawlmetrics.testsupport.EtcdServer;
import dev.yawlmetrics.testsupport.Scrape;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.yawlmetrics.it.heartbeat.Registry.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Scenario 1: etcd up, N agents, renewals run; every count read back from the forked JVM's /metrics. */
class HeartbeatEtcdUpTest {

    @Test
    void renewalsAgainstARealEtcdAreCountedTimedAndClassified() throws Exception {
        try (EtcdServer etcd = EtcdServer.startNew();
             AgentJvm jvm = host(200).start().awaitReady()) {
            etcd.grantLease(60, 60); // the client sends its TTL (60) as the lease id
            String c = jvm.command("client " + etcd.clientUrl() + " 60");
            assertEquals("5", jvm.command("register " + c + " agent 5"));
            await(jvm, Duration.ofSeconds(30), "15 renewals", s -> s.value(TASKS) >= 15);
            jvm.command("unregister-all " + c); // stop renewals (running ones finish) so every counter below is final
            Scrape s = settle(jvm);

            double tasks = s.value(TASKS);
            assertTrue(tasks >= 15, s.text());
            assertEquals(tasks, renewals(s, "success"), () -> "every renewal succeeded\n" + s.text() + jvm.describe());
            assertEquals(0.0, renewals(s, "error"));
            assertEquals(0.0, renewals(s, "timeout"));
            assertEquals(tasks, s.value(LATENCY + "_count"));
            assertEquals(tasks, s.value(LATENESS + "_count"));
            assertTrue(s.value(LATENCY + "_sum") > 0);
            assertEquals(tasks, s.value(LATENCY + "_bucket", "le", "+Inf"));
            assertTrue(s.has(LATENCY + "_bucket", "le", "100.0"), "the 100 ms alert threshold is a bucket");
            assertTrue(s.value(LATENCY + "_bucket", "le", "100.0") <= tasks);

            // The same puts seen from the etcd side of the instrumentation.
            assertEquals(tasks, etcd(s, "heartbeat", "success"), () -> s.text() + jvm.describe());
            assertEquals(tasks, s.value(ETCD_LATENCY + "_count", "query_type", "heartbeat"));
            assertEquals(5.0, etcd(s, "publish", "success"), "the initial publish is not a renewal");
            assertEquals(0.0, s.value(RECONNECTS, "reason", "heartbeat_miss"));
            assertEquals(1.0, s.value("yawl_metrics_agent_instrumentation_applied", "instrumentation", "heartbeat"));
            assertEquals(1.0, s.value("yawl_metrics_agent_instrumentation_applied", "instrumentation", "etcd"));
        }
    }

    @Test
    void unpublishDiscoveryAndManualReconnectAreCounted() throws Exception {
        try (EtcdServer etcd = EtcdServer.startNew();
             AgentJvm jvm = host(60_000).start().awaitReady()) {
            etcd.grantLease(60, 60);
            String c = jvm.command("client " + etcd.clientUrl() + " 60");
            assertEquals("3", jvm.command("register " + c + " a 3"));
            assertEquals("2", jvm.command("register " + c + " a 2")); // a-0 and a-1 again: still heartbeating
            jvm.command("unregister " + c + " a-2");
            assertEquals("3", jvm.command("register " + c + " a 3")); // a-0, a-1 active again; a-2 not any more
            jvm.command("sync " + c);
            Scrape s = jvm.scrape();
            assertEquals(4.0, s.value(RECONNECTS, "reason", "manual"), "a-0,a-1 twice each (a-2 re-registered after unregister is not)");
            assertEquals(8.0, etcd(s, "publish", "success"));
            assertEquals(1.0, etcd(s, "unpublish", "success"));
            assertEquals(1.0, etcd(s, "discovery", "success"));
            assertEquals(0.0, s.value(TASKS), "period 60 s: no renewal has run");
        }
    }

    @Test
    void eachInstrumentationWorksWhenTheOtherIsSwitchedOff() throws Exception {
        try (EtcdServer etcd = EtcdServer.startNew();
             AgentJvm noHeartbeat = host(200).sysProp("yawl.instrumentation.heartbeat.enabled", "false").start();
             AgentJvm noEtcd = host(200).sysProp("yawl.instrumentation.etcd.enabled", "false").start()) {
            etcd.grantLease(60, 60);
            for (AgentJvm jvm : new AgentJvm[] {noHeartbeat, noEtcd}) {
                jvm.awaitReady();
                assertEquals("2", jvm.command("register " + jvm.command("client " + etcd.clientUrl() + " 60") + " t 2"));
            }
            Scrape etcdOnly = await(noHeartbeat, Duration.ofSeconds(30), "heartbeat puts counted by etcd alone",
                    s -> etcd(s, "heartbeat", "success") >= 4);
            assertEquals(2.0, etcd(etcdOnly, "publish", "success"), "renewals are still told apart from the publish");
            assertTrue(etcdOnly.find(TASKS).isEmpty(), etcdOnly.text());
            Scrape heartbeatOnly = await(noEtcd, Duration.ofSeconds(30), "renewals counted by heartbeat alone",
                    s -> renewals(s, "success") >= 4);
            assertTrue(heartbeatOnly.find(ETCD_REQUESTS).isEmpty(), heartbeatOnly.text());
            assertEquals(0.0, renewals(heartbeatOnly, "error"));
        }
    }

    @Test
    void aClientWhoseLoaderCannotSeeTheAgentBehavesExactlyAsWithoutTheAgent() throws Exception {
        try (EtcdServer etcd = EtcdServer.startNew();
             AgentJvm plain = host(100).withoutAgent().start();
             AgentJvm jvm = host(100).start().awaitReady()) {
            etcd.grantLease(60, 60);
            plain.awaitStdout("HOST READY"::equals, Duration.ofSeconds(60));
            String expected = plain.command("isolated-register " + etcd.clientUrl() + " 60 3");
            assertEquals("registered=3 error=none", expected);
            assertEquals(expected, jvm.command("isolated-register " + etcd.clientUrl() + " 60 3"));
            assertTrue(jvm.agentLogShows(l -> l.contains("EtcdAgentRegistryClient unchanged")
                    && l.contains("does not see the agent's")), jvm.describe());
        }
    }

    @Test
    void failingRecordersNeverReachTheEngineAndAreCounted() throws Exception {
        try (EtcdServer etcd = EtcdServer.startNew();
             AgentJvm jvm = host(100).sysProp("yawl.metrics.debug.fail-recording", "true").start().awaitReady()) {
            etcd.grantLease(60, 60);
            String c = jvm.command("client " + etcd.clientUrl() + " 60");
            assertEquals("2", jvm.command("register " + c + " f 2"));
            Scrape s = await(jvm, Duration.ofSeconds(30), "renewals keep running with every recorder failing",
                    x -> x.value("yawl_metrics_agent_recording_errors_total", "instrumentation", "heartbeat") >= 4
                            && x.value("yawl_metrics_agent_recording_errors_total", "instrumentation", "etcd") >= 6);
            assertTrue(s.find(TASKS).isEmpty(), s.text());
            assertEquals("2", jvm.command("unregister-all " + c));
            assertEquals("pong", jvm.command("ping"));
            assertTrue(jvm.stderr().stream().noneMatch(l -> l.contains("[fixture] heartbeat")),
                    "no renewal failed because of the agent: " + jvm.describe());
        }
    }
}
