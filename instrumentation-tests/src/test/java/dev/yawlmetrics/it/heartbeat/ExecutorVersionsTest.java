package dev.yawlmetrics.it.heartbeat;

import dev.yawlmetrics.testsupport.AgentJvm;
import dev.yawlmetrics.testsupport.DelayProxy;
import dev.yawlmetrics.testsupport.EtcdServer;
import dev.yawlmetrics.testsupport.Scrape;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static dev.yawlmetrics.it.heartbeat.Registry.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scenario 4: both engine versions of the heartbeat executor, saturated on purpose (renewals of
 * 100 ms each, 10 agents every 100 ms: 10x the work one thread can do, 2.5x what four can). The
 * gauges read the real executor: all its threads busy, the other scheduled renewals in its queue,
 * and lateness growing past a second.
 */
class ExecutorVersionsTest {
    static final int AGENTS = 10;

    @ParameterizedTest(name = "{0} executor, {1} thread(s)")
    @CsvSource({"single, 1", "pool, 4"})
    void saturatedExecutorShowsBusyThreadsQueueAndLateness(String version, int threads) throws Exception {
        try (EtcdServer etcd = EtcdServer.startNew();
             DelayProxy proxy = new DelayProxy(etcd.clientPort(), 0);
             AgentJvm jvm = host(100).sysProp("fixture.heartbeat.executor", version).start().awaitReady()) {
            etcd.grantLease(60, 60);
            String c = jvm.command("client " + proxy.url() + " 60");
            Scrape idle = jvm.scrape();
            assertEquals(0.0, idle.value(QUEUE), "client created, nothing scheduled");
            assertEquals(0.0, idle.value(ACTIVE));

            proxy.delayMillis(100);
            assertEquals(Integer.toString(AGENTS), jvm.command("register " + c + " sat " + AGENTS));
            Scrape busy = await(jvm, Duration.ofSeconds(30), threads + " busy threads, the rest queued",
                    s -> s.value(ACTIVE) == threads && s.value(QUEUE) == AGENTS - threads);
            assertEquals(AGENTS - threads, busy.value(QUEUE), busy.text());
            Scrape late = await(jvm, Duration.ofSeconds(30), "renewals start more than 1 s late",
                    s -> s.value(LATENESS + "_count") - s.value(LATENESS + "_bucket", "le", "1000.0") > 0);
            assertTrue(late.value(LATENESS + "_sum") > 1000, "at least one renewal started over a second late: " + late.text());

            jvm.command("close " + c); // shutdownNow: the executor empties
            Scrape closed = await(jvm, Duration.ofSeconds(10), "executor drained", s -> s.value(QUEUE) == 0 && s.value(ACTIVE) == 0);
            assertEquals(0.0, closed.value(QUEUE));
        }
    }

    @ParameterizedTest(name = "two {0} clients are summed")
    @CsvSource({"single", "pool"})
    void severalClientsAreSummed(String version) throws Exception {
        try (EtcdServer etcd = EtcdServer.startNew();
             AgentJvm jvm = host(60_000).sysProp("fixture.heartbeat.executor", version).start().awaitReady()) {
            etcd.grantLease(60, 60);
            String a = jvm.command("client " + etcd.clientUrl() + " 60");
            String b = jvm.command("client " + etcd.clientUrl() + " 60");
            jvm.command("register " + a + " a 3");
            jvm.command("register " + b + " b 4");
            Scrape s = jvm.scrape();
            assertEquals(7.0, s.value(QUEUE), "3 + 4 scheduled renewals, none due for a minute: " + s.text());
            assertEquals(0.0, s.value(ACTIVE));
        }
    }
}
