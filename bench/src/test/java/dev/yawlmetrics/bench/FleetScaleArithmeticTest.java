package dev.yawlmetrics.bench;

import dev.yawlmetrics.bench.harness.JfrAttribution;
import dev.yawlmetrics.bench.harness.Stats;
import dev.yawlmetrics.testsupport.Scrape;
import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How fleet-scale samples are charged to the agent and how histogram buckets become quantiles. No timing. */
class FleetScaleArithmeticTest {

    @Test
    void aSampleIsTheAgentsWhenItsTopmostNonJdkFrameIsAgentCode() {
        JfrAttribution a = new JfrAttribution();
        // agent recorder calling into the JDK (LongAdder) under an engine frame: agent
        a.add("etcd-heartbeat-0",
                List.of("java.util.concurrent.atomic.LongAdder", "dev.yawlmetrics.agent.etcd.EtcdRecorder",
                        "org.yawlfoundation.yawl.integration.autonomous.registry.EtcdAgentRegistryClient",
                        "dev.yawlmetrics.agent.heartbeat.RenewalTask"),
                List.of("add", "publishFinished", "publishToEtcd", "run"));
        // the engine's HTTP put inside the agent's RenewalTask wrapper: engine, but "anywhere on stack"
        a.add("etcd-heartbeat-0",
                List.of("jdk.internal.net.http.HttpClientImpl",
                        "org.yawlfoundation.yawl.integration.autonomous.registry.EtcdAgentRegistryClient",
                        "dev.yawlmetrics.agent.heartbeat.RenewalTask"),
                List.of("send", "publishToEtcd", "run"));
        // JDK-only stack on the agent's endpoint thread: agent; on another thread: not
        a.add("yawl-metrics-http-1", List.of("sun.net.httpserver.ServerImpl$Exchange"), List.of("run"));
        a.add("HTTP-Dispatcher", List.of("sun.net.httpserver.ServerImpl$Dispatcher"), List.of("run"));
        // shaded Micrometer is the agent's; a hidden-class lambda name is folded
        a.add("", List.of("dev.yawlmetrics.agent.httpclient.HttpClientInstrumentation$$Lambda/0x0000000050087da0"), List.of("accept"));

        assertEquals(5, a.samples);
        assertEquals(3, a.agentSamples);
        assertEquals(4, a.anyAgentFrameSamples);
        assertEquals(0.6, a.agentShare(), 1e-9);
        assertEquals(Map.of("etcd.EtcdRecorder.publishFinished", 1L,
                "(JDK code on thread yawl-metrics-http-#)", 1L,
                "httpclient.HttpClientInstrumentation$$Lambda.accept", 1L), a.agentFrames);
        assertEquals(2L, a.threads.get("etcd-heartbeat-#"));
        assertEquals(1L, a.threads.get("(unnamed: virtual threads)"));
    }

    @Test
    void quantilesComeFromBucketDeltasAsUpperBounds() {
        Scrape s0 = Scrape.parse("""
                h_bucket{le="1.0"} 10
                h_bucket{le="10.0"} 10
                h_bucket{le="1000.0"} 10
                h_bucket{le="+Inf"} 10
                """);
        Scrape s1 = Scrape.parse("""
                h_bucket{le="1.0"} 40
                h_bucket{le="10.0"} 90
                h_bucket{le="1000.0"} 108
                h_bucket{le="+Inf"} 110
                """);
        Map<Double, Double> d = FleetScale.bucketDeltas(s0, s1, "h");
        assertEquals(Map.of(1.0, 30.0, 10.0, 80.0, 1000.0, 98.0, Double.POSITIVE_INFINITY, 100.0), d);
        assertEquals("≤ 1 ms", FleetScale.quantile(d, 0.3));
        assertEquals("in (1 ms, 10 ms]", FleetScale.quantile(d, 0.5));
        assertEquals("in (10 ms, 1,000 ms]", FleetScale.quantile(d, 0.98));
        assertEquals("> 1,000 ms", FleetScale.quantile(d, 0.99));
        assertEquals(10.0, FleetScale.p50UpperBound(d));
        assertEquals("-", FleetScale.quantile(FleetScale.bucketDeltas(s1, s1, "h"), 0.5));
    }

    static HeartbeatCapacity.Result capacity(List<Double> plain, List<Double> agent, double offered) {
        HeartbeatCapacity.Result c = new HeartbeatCapacity.Result(HeartbeatCapacity.Shape.SINGLE);
        c.offered = offered;
        for (int r = 0; r < plain.size(); r++) {
            c.plain.add(plain.get(r));
            c.agent.add(agent.get(r));
            c.plainCpuUs.add(300.0);
            c.agentCpuUs.add(300.0);
            c.order.add(r % 2 == 0 ? "plain first" : "agent first");
            c.load.add("1 → 1");
            c.settled.add("20 / 25");
            c.windowRatios.add(List.of(agent.get(r) / plain.get(r)));
            c.plainCpuByGroup.add(java.util.Map.of("ForkJoinPool-N-", 100.0 + r, "C2 CompilerThre", 3.0, "Reference Handl", 0.5));
            c.agentCpuByGroup.add(java.util.Map.of("ForkJoinPool-N-", 104.0 + r, "C2 CompilerThre", 5.0, "Reference Handl", 0.25,
                    "yawl-metrics-ac", 0.5));
        }
        return c;
    }

    @Test
    void capacityReportSaysWhereTheCpuWentPerThreadGroupAndPerRoundForTheJit() {
        HeartbeatCapacity.Settings s = HeartbeatCapacity.Settings.from(new String[0], false);
        HeartbeatCapacity.Result c = capacity(List.of(1000.0, 1000.0, 1000.0), List.of(990.0, 1000.0, 1010.0), s.offered());
        String md = HeartbeatCapacity.report(List.of(c), s, false);
        // medians over the 3 rounds: 101 / 105; the JIT 3 / 5; groups under 2 µs summed into one row
        assertTrue(md.contains("| `ForkJoinPool-N-` | 101.0 | 105.0 | +4.0 | +4.0, +4.0, +4.0 | agent higher in 3 of 3 (resolved) |"), md);
        assertTrue(md.contains("| `C2 CompilerThre` | 3.0 | 5.0 | +2.0 | +2.0, +2.0, +2.0 | agent higher in 3 of 3 (resolved) |"), md);
        assertTrue(md.contains("| all others (each < 2 µs) | 0.5 | 0.8 | +0.3 | | |"), md);
        // one round the other way: no longer resolved
        c.agentCpuByGroup.set(1, java.util.Map.of("ForkJoinPool-N-", 100.0, "C2 CompilerThre", 5.0));
        assertTrue(HeartbeatCapacity.report(List.of(c), s, false).contains("| +4.0, -1.0, +4.0 | agent higher in 2 of 3 |"),
                HeartbeatCapacity.report(List.of(c), s, false));
        assertTrue(md.contains("| 1 | plain first | 1,000 | 990 | 0.990 | 0.990 | 300 / 300 | 3.0 / 5.0 |"), md);
        assertFalse(md.contains("heartbeat instrumentation off"), md);
        c.heartbeatOff = true;
        assertTrue(HeartbeatCapacity.report(List.of(c), s, false).contains("heartbeat instrumentation off"));
    }

    @Test
    void capacityVerdictIsMetOrMissedOnlyWhenTheMedianRatiosIntervalLiesOnOneSideOfTheTarget() {
        // every round below the target, median ratio 0.95: 5 rounds give [min, max] at 93.8 %: missed
        HeartbeatCapacity.Result slower = capacity(List.of(1000.0, 1000.0, 1000.0, 1000.0, 1000.0),
                List.of(950.0, 940.0, 960.0, 980.0, 900.0), 25000);
        assertEquals(0.95, slower.medianRatio(), 1e-9);
        assertTrue(slower.resolved());
        assertEquals("**missed**", HeartbeatCapacity.verdict(slower));
        assertTrue(HeartbeatCapacity.noise(slower).startsWith("resolved: the agent fork was slower in all 5 rounds (by chance alone: 6.3 %)"),
                HeartbeatCapacity.noise(slower));
        assertTrue(HeartbeatCapacity.report(List.of(slower), HeartbeatCapacity.Settings.from(new String[0], false), false).contains(
                "- interval of the median ratio (distribution-free: the sign test inverted over the rounds' order statistics): "
                        + "[0.900–0.980] (coverage 93.8 %)"), HeartbeatCapacity.report(List.of(slower), HeartbeatCapacity.Settings.from(new String[0], false), false));
        // same median, one round above the target: the interval spans it, so no verdict
        HeartbeatCapacity.Result mixed = capacity(List.of(1000.0, 1000.0, 1000.0, 1000.0, 1000.0),
                List.of(950.0, 940.0, 960.0, 1010.0, 900.0), 25000);
        assertFalse(mixed.resolved());
        assertEquals("within noise", HeartbeatCapacity.verdict(mixed));
        assertTrue(HeartbeatCapacity.summaryLine(mixed, false).endsWith(
                "over 5 round(s), median's interval [0.900–1.010] (coverage 93.8 %): difference within noise; target ≥ 0.99: within noise"),
                HeartbeatCapacity.summaryLine(mixed, false));
        assertTrue(HeartbeatCapacity.noise(mixed).startsWith("**within noise**: the median ratio's interval [0.900–1.010]"
                + " (coverage 93.8 %) holds 1 (paired sign test over 5 rounds; the agent fork slower in 4)"), HeartbeatCapacity.noise(mixed));
        // 9 rounds: the interval drops the lowest and highest round (x(2)..x(8), 96.1 %), so one
        // fast round no longer decides: 8 of 9 rounds slower resolve the difference, and every
        // round but that one below the target misses it
        HeartbeatCapacity.Result nine = capacity(Collections.nCopies(9, 1000.0),
                List.of(950.0, 960.0, 970.0, 940.0, 975.0, 965.0, 955.0, 985.0, 1050.0), 25000);
        assertEquals(8, Stats.perRound(nine.plain, nine.agent).stream().filter(d -> d < 0).count()); // not every round
        assertTrue(nine.resolved());
        assertEquals(0.940 + 0.010, nine.ratioInterval().lo(), 1e-9);
        assertEquals(0.985, nine.ratioInterval().hi(), 1e-9);
        assertEquals("**missed**", HeartbeatCapacity.verdict(nine));
        assertEquals("resolved: the agent fork was slower in 8 of 9 rounds, and the median ratio's interval [0.950–0.985]"
                + " (coverage 96.1 %) does not hold 1 (paired sign test)", HeartbeatCapacity.noise(nine));
        assertTrue(HeartbeatCapacity.summaryLine(nine, false).endsWith(": difference resolved; target ≥ 0.99: missed"),
                HeartbeatCapacity.summaryLine(nine, false));
        // 7 of 9 slower: the interval reaches 1.0 from below, so not resolved
        HeartbeatCapacity.Result sevenOfNine = capacity(Collections.nCopies(9, 1000.0),
                List.of(950.0, 960.0, 970.0, 940.0, 975.0, 965.0, 955.0, 1010.0, 1050.0), 25000);
        assertFalse(sevenOfNine.resolved());
        // at or above 0.99 by the median, the interval reaching below: met by the median only
        HeartbeatCapacity.Result close = capacity(List.of(1000.0, 1000.0, 1000.0), List.of(995.0, 980.0, 1020.0), 25000);
        assertEquals(0.995, close.medianRatio(), 1e-9);
        assertEquals("met by the median (within noise: the interval spans the target)", HeartbeatCapacity.verdict(close));
        assertEquals("met", HeartbeatCapacity.verdict(capacity(List.of(1000.0, 1000.0, 1000.0), List.of(995.0, 999.0, 998.0), 25000)));
        // one round cannot be resolved; an executor that kept up measured no capacity
        assertEquals("not resolvable with 1 round", HeartbeatCapacity.verdict(capacity(List.of(1000.0), List.of(900.0), 25000)));
        assertTrue(HeartbeatCapacity.verdict(capacity(List.of(1000.0, 1000.0), List.of(900.0, 900.0), 1100)).startsWith("not measured"));
    }

    @Test
    void smokeCapacityReportCarriesTheCaveat() {
        HeartbeatCapacity.Settings s = HeartbeatCapacity.Settings.from(new String[] {"--smoke"}, true);
        HeartbeatCapacity.Result c = capacity(List.of(1000.0), List.of(700.0), s.offered());
        String md = HeartbeatCapacity.report(List.of(c), s, true);
        assertTrue(md.contains("cannot resolve a capacity difference"), md);
        assertTrue(md.contains("| 1 | plain first | 1,000 | 700 | 0.700 | 0.700 |"), md);
        assertTrue(HeartbeatCapacity.summaryLine(c, true).contains("SMOKE: a few seconds on a shared machine cannot resolve capacity"));
        assertFalse(HeartbeatCapacity.report(List.of(c), s, false).contains("SMOKE"));
    }

    @Test
    void capacitySettleMustOutlastThePeriod() {
        assertThrows(IllegalArgumentException.class,
                () -> HeartbeatCapacity.Settings.from(new String[] {"--capacity-period-ms", "10000", "--capacity-settle-s", "5"}, false));
        assertThrows(IllegalArgumentException.class,
                () -> HeartbeatCapacity.Settings.from(new String[] {"--capacity-windows", "0"}, false));
    }

    /** A renewal in flight when its fork is stopped must not time out on resume (harness-made failures). */
    @Test
    void capacityForksOutwaitTheirLongestPause() {
        for (String[] args : List.of(new String[0], new String[] {"--capacity-jit-cap-s", "900", "--capacity-window-s", "400"})) {
            HeartbeatCapacity.Settings s = HeartbeatCapacity.Settings.from(args, false);
            long pause = HeartbeatCapacity.longestPauseMs(s);
            // the engine's own 5 s is far shorter than what the first fork of a round waits stopped
            assertTrue(pause > 5_000 + s.jitCapS * 1000L, "pause " + pause);
            long timeout = HeartbeatCapacity.requestTimeoutMs(s);
            assertTrue(timeout > pause, timeout + " <= " + pause);
            List<String> jvm = HeartbeatCapacity.hostJvmArgs(s, "pool", 2);
            assertTrue(jvm.contains("-Dfixture.etcd.timeoutMs=" + timeout), jvm.toString());
        }
        assertTrue(HeartbeatCapacity.longestPauseMs(HeartbeatCapacity.Settings.from(new String[] {"--capacity-window-s", "400"}, false))
                >= 2 * 400_000, "two of the other fork's windows");
    }
}
