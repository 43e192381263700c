package dev.yawlmetrics.bench;

import dev.yawlmetrics.bench.HeartbeatCapacity.Arm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The capacity comparison with a third fork, the empty agent: its orders, its refusals and its report. No timing. */
class ThreeForkCapacityTest {
    private static final String[] THREE = {"--capacity-empty-fork", "true"};

    @AfterEach
    void clear() {
        System.clearProperty("bench.plain.javaagent");
        System.clearProperty("bench.yawl.javaagent");
        System.clearProperty("bench.agent.jvmargs");
    }

    @Test
    void twoForksAlternateAndThreeCycleThroughAllSixOrders() {
        List<Arm> two = HeartbeatCapacity.Settings.from(new String[0], false).arms();
        assertEquals(List.of(Arm.PLAIN, Arm.AGENT), HeartbeatCapacity.order(two, 0));
        assertEquals(List.of(Arm.AGENT, Arm.PLAIN), HeartbeatCapacity.order(two, 1));

        List<Arm> three = HeartbeatCapacity.Settings.from(THREE, false).arms();
        assertEquals(List.of(Arm.PLAIN, Arm.EMPTY, Arm.AGENT), three);
        List<List<Arm>> seen = new ArrayList<>();
        Map<Arm, Integer> first = new HashMap<>();
        for (int r = 0; r < 6; r++) {
            List<Arm> order = HeartbeatCapacity.order(three, r);
            assertEquals(3, order.stream().distinct().count(), order.toString());
            seen.add(order);
            first.merge(order.get(0), 1, Integer::sum);
            // after every second round, each pair of forks has gone first equally often
            if (r % 2 == 1) {
                for (Arm a : three) {
                    for (Arm b : three) {
                        if (a != b) {
                            long aFirst = seen.stream().filter(o -> o.indexOf(a) < o.indexOf(b)).count();
                            assertEquals(seen.size() / 2, aFirst, a + " before " + b + " in " + seen);
                        }
                    }
                }
            }
        }
        assertEquals(6, seen.stream().distinct().count(), "all six orders: " + seen);
        assertEquals(Map.of(Arm.PLAIN, 2, Arm.EMPTY, 2, Arm.AGENT, 2), first);
        assertEquals(seen.get(0), HeartbeatCapacity.order(three, 6), "then the cycle starts again");
    }

    @Test
    void theEmptyForkDiffersFromThePlainOneByTheEmptyAgentOnly() {
        List<String> common = List.of("-Xmx2g", "-Dfixture.heartbeat.executor=single");
        assertEquals(common, Arm.PLAIN.jvmArgs(common));
        List<String> empty = Arm.EMPTY.jvmArgs(common);
        assertEquals(common, empty.subList(0, common.size()));
        assertEquals(common.size() + 1, empty.size(), empty.toString());
        assertTrue(empty.get(common.size()).startsWith("-javaagent:") && !empty.get(common.size()).contains("yawl-metrics-agent"), empty.toString());
        assertEquals(Arm.PLAIN.variant, Arm.EMPTY.variant, "no endpoint, no port: the empty agent has neither");
    }

    /** What an operator would add next to -javaagent goes to the forks with an agent, never to the plain one, and the report says so. */
    @Test
    void agentJvmArgumentsGoToTheForksWithAnAgentOnly() {
        List<String> common = List.of("-Xmx2g");
        System.setProperty("bench.agent.jvmargs", " -XX:+UnlockExperimentalVMOptions  -XX:-DoJVMTIVirtualThreadTransitions ");
        List<String> flags = List.of("-XX:+UnlockExperimentalVMOptions", "-XX:-DoJVMTIVirtualThreadTransitions");
        assertEquals(common, Arm.PLAIN.jvmArgs(common));
        assertEquals(flags, Arm.EMPTY.jvmArgs(common).subList(1, 3));
        assertTrue(Arm.EMPTY.jvmArgs(common).get(3).startsWith("-javaagent:"));
        assertEquals(List.of("-Xmx2g", flags.get(0), flags.get(1)), Arm.AGENT.jvmArgs(common));
        System.setProperty("bench.plain.javaagent", "empty");
        assertEquals(List.of("-Xmx2g", flags.get(0), flags.get(1)), Arm.PLAIN.jvmArgs(common), "a plain fork given an agent gets them too");
        clear();
        System.setProperty("bench.agent.jvmargs", "-XX:-DoJVMTIVirtualThreadTransitions");
        HeartbeatCapacity.Settings s = HeartbeatCapacity.Settings.from(new String[0], false);
        String md = HeartbeatCapacity.report(List.of(FleetScaleArithmeticTest.capacity(List.of(1000.0), List.of(990.0), s.offered())), s, false);
        assertTrue(md.contains("**JVM arguments of the forks with an agent only** (`-Dbench.agent.jvmargs`): `-XX:-DoJVMTIVirtualThreadTransitions`"), md);
    }

    @Test
    void aThirdForkWithAnotherBaselineOrABadValueIsRefused() {
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> HeartbeatCapacity.Settings.from(new String[] {"--capacity-empty-fork", "yes"}, false));
        assertEquals("--capacity-empty-fork yes: true or false", bad.getMessage());
        for (String[] property : List.of(new String[] {"bench.plain.javaagent", "empty"}, new String[] {"bench.plain.javaagent", "ours"},
                new String[] {"bench.yawl.javaagent", "empty"})) {
            clear();
            System.setProperty(property[0], property[1]);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HeartbeatCapacity.Settings.from(THREE, false),
                    String.join("=", property));
            assertTrue(e.getMessage().contains("cannot be combined with -Dbench.plain.javaagent or -Dbench.yawl.javaagent"), e.getMessage());
            HeartbeatCapacity.Settings.from(new String[0], false); // two forks: still accepted
        }
    }

    /** Each fork of three waits stopped through two others' starts, so the renewals' timeout must outlast that. */
    @Test
    void threeForksWaitThroughTwoStarts() {
        HeartbeatCapacity.Settings two = HeartbeatCapacity.Settings.from(new String[0], false);
        HeartbeatCapacity.Settings three = HeartbeatCapacity.Settings.from(THREE, false);
        assertEquals(2 * HeartbeatCapacity.longestPauseMs(two), HeartbeatCapacity.longestPauseMs(three));
        HeartbeatCapacity.Settings longWindows = HeartbeatCapacity.Settings.from(
                new String[] {"--capacity-empty-fork", "true", "--capacity-window-s", "400"}, false);
        assertTrue(HeartbeatCapacity.longestPauseMs(longWindows) >= 4 * 400_000, "two windows of each of the two other forks");
        assertTrue(HeartbeatCapacity.hostJvmArgs(three, "single", 2).contains(
                "-Dfixture.etcd.timeoutMs=" + 2 * HeartbeatCapacity.longestPauseMs(three)));
    }

    @Test
    void theReportGivesAllThreeRatiosWithTheirOwnSignTests() {
        HeartbeatCapacity.Settings s = HeartbeatCapacity.Settings.from(THREE, false);
        HeartbeatCapacity.Result c = FleetScaleArithmeticTest.capacity(List.of(1000.0, 1000.0, 1000.0, 1000.0, 1000.0),
                List.of(970.0, 975.0, 980.0, 985.0, 990.0), s.offered());
        // the empty agent: slower than plain in every round, and our agent slower than it in 4 of 5, which 5 rounds cannot resolve
        c.empty.addAll(List.of(990.0, 980.0, 985.0, 970.0, 995.0));
        c.emptyCpuUs.addAll(List.of(301.0, 302.0, 303.0, 304.0, 305.0));
        String md = HeartbeatCapacity.report(List.of(c), s, false);
        assertTrue(md.contains("**Three forks per round**"), md);
        assertTrue(md.contains("| empty agent renewals/s | empty / plain | agent / empty |"), md);
        assertTrue(md.contains("| 1,000 | 970 | 0.970 | 0.970 | 990 | 0.990 | 0.980 | 300 / 301 / 300 |"), md);
        assertTrue(md.contains("- empty / plain (what any `-javaagent` costs): median of 5 paired rounds **0.985"), md);
        assertTrue(md.contains("resolved (the empty-agent fork slower in 5 of 5)"), md);
        assertTrue(md.contains("- agent / empty (what our agent adds to it): median of 5 paired rounds **0.995"), md);
        assertTrue(md.contains("within noise (the agent fork slower in 4 of 5)"), md);
        String line = HeartbeatCapacity.summaryLine(c, false);
        assertTrue(line.contains("; empty/plain median of 5 paired rounds 0.985") && line.contains("; agent/empty median of 5 paired rounds 0.995"), line);

        HeartbeatCapacity.Result twoForks = FleetScaleArithmeticTest.capacity(List.of(1000.0, 1000.0), List.of(990.0, 980.0), s.offered());
        String two = HeartbeatCapacity.report(List.of(twoForks), HeartbeatCapacity.Settings.from(new String[0], false), false);
        assertFalse(two.contains("empty") || HeartbeatCapacity.summaryLine(twoForks, false).contains("empty"), two);
    }
}
