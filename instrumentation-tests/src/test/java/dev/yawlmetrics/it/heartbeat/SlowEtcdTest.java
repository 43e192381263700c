package dev.yawlmetrics.it.heartbeat;

import dev.yawlmetrics.testsupport.AgentJvm;
import dev.yawlmetrics.testsupport.DelayProxy;
import dev.yawlmetrics.testsupport.EtcdServer;
import dev.yawlmetrics.testsupport.Scrape;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.yawlmetrics.it.heartbeat.Registry.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Scenario 3: etcd behind a loopback proxy that delays its answers. */
class SlowEtcdTest {

    @Test
    void delayedAnswersShiftTheLatencyHistogramsPast100ms() throws Exception {
        try (EtcdServer etcd = EtcdServer.startNew();
             DelayProxy proxy = new DelayProxy(etcd.clientPort(), 150);
             AgentJvm jvm = host(300).start().awaitReady()) {
            etcd.grantLease(60, 60);
            String c = jvm.command("client " + proxy.url() + " 60");
            assertEquals("2", jvm.command("register " + c + " slow 2"));
            await(jvm, Duration.ofSeconds(30), "6 renewals", s -> s.value(TASKS) >= 6);
            jvm.command("unregister-all " + c);
            Scrape s = settle(jvm);
            double n = s.value(LATENCY + "_count");
            assertTrue(n >= 6, s.text());
            assertEquals(0.0, s.value(LATENCY + "_bucket", "le", "100.0"), "no renewal under 100 ms: " + s.text());
            assertTrue(s.value(LATENCY + "_sum") / n >= 150, "mean renewal at least the proxy's delay");
            assertEquals(0.0, s.value(ETCD_LATENCY + "_bucket", "query_type", "heartbeat", "le", "100.0"));
            assertEquals(0.0, s.value(ETCD_LATENCY + "_bucket", "query_type", "publish", "le", "100.0"));
            assertEquals(2.0, s.value(ETCD_LATENCY + "_count", "query_type", "publish"));
            assertEquals(n, renewals(s, "success"), "slow is not failed");
        }
    }

    @Test
    void anAnswerSlowerThanTheRequestTimeoutIsATimeout() throws Exception {
        try (EtcdServer etcd = EtcdServer.startNew();
             DelayProxy proxy = new DelayProxy(etcd.clientPort(), 0);
             AgentJvm jvm = host(200).sysProp("fixture.etcd.timeoutMs", "1000").start().awaitReady()) {
            etcd.grantLease(60, 60);
            String c = jvm.command("client " + proxy.url() + " 60");
            assertEquals("2", jvm.command("register " + c + " hung 2"));
            proxy.delayMillis(5_000); // etcd now "hangs" longer than the client's request timeout
            // The etcd call is counted when the put fails, the renewal (outcome and latency) when
            // the lambda ends a moment later: wait until the three agree rather than racing the scrape.
            Scrape s = await(jvm, Duration.ofSeconds(30), "renewals time out and last at least the 1 s timeout",
                    x -> renewals(x, "timeout") >= 4
                            && renewals(x, "timeout") == etcd(x, "heartbeat", "timeout")
                            && x.value(LATENCY + "_bucket", "le", "+Inf") - x.value(LATENCY + "_bucket", "le", "500.0") >= 4);
            assertEquals(renewals(s, "timeout"), etcd(s, "heartbeat", "timeout"), s.text());
            jvm.command("sync " + c);
            assertEquals(1.0, etcd(jvm.scrape(), "discovery", "timeout"));
        }
    }
}
