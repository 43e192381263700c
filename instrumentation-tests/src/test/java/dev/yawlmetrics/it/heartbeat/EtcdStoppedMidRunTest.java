package dev.yawlmetrics.it.heartbeat;

import dev.yawlmetrics.testsupport.AgentJvm;
import dev.yawlmetrics.testsupport.EtcdServer;
import dev.yawlmetrics.testsupport.Scrape;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.yawlmetrics.it.heartbeat.Registry.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Scenario 2: etcd goes away mid-run, comes back; failures, then one heartbeat_miss reconnect per agent. */
class EtcdStoppedMidRunTest {

    @Test
    void renewalsFailWhileEtcdIsDownAndEachAgentReconnectsOnce() throws Exception {
        try (EtcdServer etcd = EtcdServer.startNew();
             AgentJvm jvm = host(200).start().awaitReady()) {
            etcd.grantLease(60, 60);
            String c = jvm.command("client " + etcd.clientUrl() + " 60");
            assertEquals("3", jvm.command("register " + c + " agent 3"));
            await(jvm, Duration.ofSeconds(30), "renewals succeed", s -> renewals(s, "success") >= 6);

            etcd.stop();
            // The etcd call is counted when the put fails, the renewal when the lambda ends a moment
            // later: wait until both agree rather than racing the scrape between them.
            Scrape down = await(jvm, Duration.ofSeconds(30), "renewals fail while etcd is down",
                    s -> renewals(s, "error") + renewals(s, "timeout") >= 6
                            && renewals(s, "error") == etcd(s, "heartbeat", "error"));
            // etcd refuses connections: java.net.ConnectException, an error (not a java.net.http timeout).
            assertTrue(renewals(down, "error") >= 6, down.text());
            assertEquals(renewals(down, "error"), etcd(down, "heartbeat", "error"), down.text());
            assertEquals(0.0, down.value(RECONNECTS, "reason", "heartbeat_miss"), "no success after the failures yet");
            assertEquals("pong", jvm.command("ping"), "the engine fixture keeps running");
            jvm.command("sync " + c);
            assertEquals("false", jvm.command("unregister " + c + " never-registered")); // deleteFromEtcd throws
            Scrape calls = jvm.scrape();
            assertEquals(1.0, etcd(calls, "discovery", "error"), calls.text());
            assertEquals(1.0, etcd(calls, "unpublish", "error"));

            etcd.start(); // same data dir: the lease (id 60) is still there
            // A scrape is not a snapshot: it can read the renewal counter before a recovering
            // renewal adds to it and the reconnect counter just after. Wait until both show it.
            double successDown = renewals(down, "success");
            Scrape back = await(jvm, Duration.ofSeconds(30), "every agent renews again",
                    s -> s.value(RECONNECTS, "reason", "heartbeat_miss") >= 3
                            && renewals(s, "success") >= successDown + 3);
            assertEquals(3.0, back.value(RECONNECTS, "reason", "heartbeat_miss"), back.text());
            jvm.command("unregister-all " + c);
            Scrape end = settle(jvm);
            assertEquals(3.0, end.value(RECONNECTS, "reason", "heartbeat_miss"),
                    "exactly one reconnect per agent: its first success after one or more failures");
            double failed = renewals(end, "error") + renewals(end, "timeout");
            double total = renewals(end, "success") + failed;
            assertEquals(end.value(TASKS), total);
            assertTrue(renewals(end, "success") / total < 1.0, "the success rate dropped");
        }
    }
}
