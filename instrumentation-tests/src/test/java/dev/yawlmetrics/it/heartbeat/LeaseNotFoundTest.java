package dev.yawlmetrics.it.heartbeat;

import dev.yawlmetrics.testsupport.AgentJvm;
import dev.yawlmetrics.testsupport.EtcdServer;
import dev.yawlmetrics.testsupport.Scrape;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.yawlmetrics.it.heartbeat.Registry.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scenario 5: the engine's real-world failure. The client sends its TTL in seconds as the lease id;
 * etcd 3.4 rejects a put naming a lease that does not exist.
 */
class LeaseNotFoundTest {

    @Test
    void withoutALeaseRegisterFailsAndNothingRenews() throws Exception {
        try (EtcdServer etcd = EtcdServer.startNew();
             AgentJvm jvm = host(100).start().awaitReady()) {
            String c = jvm.command("client " + etcd.clientUrl() + " 30");
            assertEquals("0", jvm.command("register " + c + " nolease 3"), "every register() returns false");
            Thread.sleep(500); // five periods: had anything been scheduled, it would have run
            Scrape s = jvm.scrape();
            assertEquals(3.0, etcd(s, "publish", "error"), s.text());
            assertEquals(0.0, etcd(s, "publish", "success"));
            assertEquals(0.0, s.value(TASKS), "no heartbeat was ever scheduled");
            assertEquals(0.0, renewals(s, "success") + renewals(s, "error") + renewals(s, "timeout"));
            assertEquals(0.0, s.value(QUEUE));
            assertTrue(jvm.stderr().stream().anyMatch(l -> l.contains("HTTP 404")), jvm.describe());
            // What etcd says to such a put (lease id 30 = the client's TTL), asked directly:
            AssertionError rejected = assertThrows(AssertionError.class,
                    () -> etcd.post("/v3/kv/put", "{\"key\":\"YQ==\",\"value\":\"Yg==\",\"lease\":30}"));
            assertTrue(rejected.getMessage().contains("404") && rejected.getMessage().contains("lease not found"),
                    rejected.getMessage());
        }
    }

    @Test
    void withAGrantedLeaseRenewalsSucceedUntilItExpiresThenFail() throws Exception {
        try (EtcdServer etcd = EtcdServer.startNew();
             AgentJvm jvm = host(200).start().awaitReady()) {
            String c = jvm.command("client " + etcd.clientUrl() + " 7");
            etcd.grantLease(7, 3); // id 7 = the client's TTL; the lease itself lives 3 s and nobody keeps it alive
            assertEquals("2", jvm.command("register " + c + " leased 2"));
            Scrape s = await(jvm, Duration.ofSeconds(30), "renewals fail after the lease expired",
                    x -> renewals(x, "success") >= 2 && renewals(x, "error") >= 4);
            assertEquals(2.0, etcd(s, "publish", "success"), s.text());
            assertTrue(renewals(s, "success") >= 2, "renewals succeeded while the lease lived");
            assertEquals(0.0, s.value(RECONNECTS, "reason", "heartbeat_miss"), "an expired lease never comes back");
            jvm.command("unregister-all " + c);
            Scrape end = settle(jvm);
            assertEquals(end.value(TASKS), renewals(end, "success") + renewals(end, "error"));
            assertEquals(renewals(end, "error"), etcd(end, "heartbeat", "error"));
        }
    }
}
