package dev.yawlmetrics.bench;

import dev.yawlmetrics.bench.harness.Forks;
import dev.yawlmetrics.bench.harness.Stats;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The harness's arithmetic and parsing, which every published figure goes through. No timing here. */
class HarnessArithmeticTest {

    @Test
    void medianMinMaxAndNearestRankPercentile() {
        Stats odd = new Stats(List.of(5.0, 1.0, 3.0));
        assertEquals(3.0, odd.median());
        assertEquals(1.0, odd.min());
        assertEquals(5.0, odd.max());
        assertEquals(2.5, new Stats(List.of(4.0, 1.0, 2.0, 3.0)).median());
        Stats hundred = new Stats(java.util.stream.IntStream.rangeClosed(1, 100).mapToObj(i -> (double) i).toList());
        assertEquals(99.0, hundred.percentile(99));
        assertEquals(100.0, hundred.percentile(100));
        assertEquals(1.0, hundred.percentile(0.5));
        assertEquals("3.0 [1.0–5.0]", odd.summary("%.1f"));
        assertThrows(IllegalArgumentException.class, () -> new Stats(List.of()));
    }

    @Test
    void medianIntervalIsTheNarrowestOrderStatisticPairWithTheAskedCoverage() {
        List<Double> nine = List.of(9.0, 1.0, 8.0, 2.0, 7.0, 3.0, 6.0, 4.0, 5.0);
        // 9 values: [x(2), x(8)] holds the median with 1 - 2 (1 + 9) / 512 = 96.1 %; [x(3), x(7)] only 82.0 %
        Stats.Interval i = new Stats(nine).medianInterval(0.95);
        assertEquals(2.0, i.lo());
        assertEquals(8.0, i.hi());
        assertEquals(1 - 2 * 10.0 / 512, i.coverage(), 1e-12);
        assertEquals(new Stats.Interval(3.0, 7.0, 1 - 2 * 46.0 / 512), new Stats(nine).medianInterval(0.80));
        // 18 values: [x(5), x(14)], 1 - 2 (1 + 18 + 153 + 816 + 3060) / 2^18 = 96.9 %
        List<Double> eighteen = java.util.stream.IntStream.rangeClosed(1, 18).mapToObj(v -> (double) v).toList();
        assertEquals(new Stats.Interval(5.0, 14.0, 1 - 2 * 4048.0 / 262144), new Stats(eighteen).medianInterval(0.95));
        // too few values for 95 %: [min, max] and the coverage it really has (5 values: 93.75 %)
        assertEquals(new Stats.Interval(1.0, 5.0, 0.9375), new Stats(List.of(3.0, 5.0, 1.0, 4.0, 2.0)).medianInterval(0.95));
        assertEquals(0.0, new Stats(List.of(1.0)).medianInterval(0.95).coverage());
        assertEquals("[0.900–1.100] (coverage 93.8 %)", new Stats.Interval(0.9, 1.1, 0.9375).describe("%.3f"));
    }

    @Test
    void timeVerboseOutputIsParsedInSecondsAndKilobytes() {
        String out = """
                \tCommand being timed: "java -cp x Y"
                \tUser time (seconds): 0.81
                \tSystem time (seconds): 0.12
                \tElapsed (wall clock) time (h:mm:ss or m:ss): 1:02.50
                \tMaximum resident set size (kbytes): 87040
                """;
        assertEquals(62.5, Startup.wall(out), 1e-9);
        assertEquals(0.81, Startup.num(out, "User time \\(seconds\\): ([0-9.]+)"), 1e-9);
        assertEquals(87040, Startup.num(out, "Maximum resident set size \\(kbytes\\): ([0-9]+)"), 1e-9);
        assertEquals(3723.0, Startup.wall("Elapsed (wall clock) time (h:mm:ss or m:ss): 1:02:03"), 1e-9);
        assertThrows(IllegalStateException.class, () -> Startup.wall("nothing"));
    }

    @Test
    void seriesCountIgnoresCommentsAndBlankLines() {
        String body = "# HELP a x\n# TYPE a counter\na_total 1\n\nb{l=\"v\"} 2\n# EOF\n";
        assertEquals(2, Forks.seriesCount(body.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void addedTimeIsInstrumentedMinusPlainMediansAndRatioIsAgainstTheFloor() {
        String floor = Overhead.FLOOR;
        String call = "dev.yawlmetrics.bench.percall.MarketplaceCalls.findById";
        String md = Overhead.report(
                Map.of(floor, List.of(100.0, 110.0, 90.0), call, List.of(200.0, 210.0, 190.0)),
                Map.of(floor, List.of(100.0, 100.0, 100.0), call, List.of(320.0, 330.0, 300.0)),
                3, false, "x", "-javaagent:/a/b/yawl-metrics-agent.jar=port=0", new String[] {"-Xmx1g"});
        // floor median over all six forks = 100; added = 320 - 200 = 120; ratio 1.20x, met.
        assertTrue(md.contains("| MarketplaceCalls.findById | 200.0 [190.0–210.0] | 320.0 [300.0–330.0] | 120.0 | 1.20x | met |"), md);
        assertTrue(md.contains("-javaagent:.../yawl-metrics-agent.jar=port=0"), md);
    }

    @Test
    void noiseIsPerRoundAddedAndForkSpread() {
        String floor = Overhead.FLOOR;
        String quiet = "dev.yawlmetrics.bench.percall.MarketplaceCalls.findById";
        String noisy = "dev.yawlmetrics.bench.percall.HttpClientCalls.sendLoopback";
        String md = Overhead.report(
                Map.of(floor, List.of(100.0, 100.0, 100.0), quiet, List.of(200.0, 210.0, 190.0),
                        noisy, List.of(1000.0, 1500.0, 1200.0)),
                Map.of(floor, List.of(100.0, 100.0, 100.0), quiet, List.of(320.0, 330.0, 300.0),
                        noisy, List.of(1300.0, 1100.0, 1250.0)),
                3, false, "x", "-javaagent:/a.jar", new String[] {"-Xmx1g"});
        // quiet: per round 120, 120, 110, all positive: resolved (spreads 20 and 30).
        assertTrue(md.contains("| MarketplaceCalls.findById | 120.0 [110.0–120.0] | 20.0 | 30.0 | resolved |"), md);
        // noisy: per round 300, -400, 50, signs disagree: within noise (added 1250 - 1200 = 50).
        assertTrue(md.contains("| HttpClientCalls.sendLoopback | 50.0 [-400.0–300.0] | 500.0 | 200.0 | **within noise** |"), md);
        // ...and the main table gives no met/missed verdict for it (ratio 0.50x would say "met").
        assertTrue(md.contains("| 50.0 | 0.50x | within noise |"), md);
        assertTrue(md.contains("| 120.0 | 1.20x | met |"), md);
        String one = Overhead.report(Map.of(floor, List.of(100.0), quiet, List.of(200.0)),
                Map.of(floor, List.of(100.0), quiet, List.of(300.0)), 1, true, "x", "-javaagent:/a.jar", new String[] {});
        assertTrue(one.contains("Noise: 1 round"), one);
        assertTrue(md.contains("by chance alone: 25.0 % with 3 rounds"), md);
    }

    @Test
    void seriesThatAppearWithTheFirstGcDoNotCountAsGrowingWithTheFleet() {
        byte[] small = ("# HELP x\nyawl_agent_live{state=\"CREATED\"} 10\njvm_memory_used_bytes{area=\"heap\"} 1\n")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] bigAfterGc = ("yawl_agent_live{state=\"CREATED\"} 100\njvm_memory_used_bytes{area=\"heap\"} 2\n"
                + "jvm_gc_pause_seconds_count{action=\"end of minor GC\",cause=\"Allocation Failure\",gc=\"PS Scavenge\"} 1\n")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] bigWithAgentSeries = ("yawl_agent_live{state=\"CREATED\"} 100\njvm_memory_used_bytes{area=\"heap\"} 2\n"
                + "yawl_agent_live{state=\"agent-4711\"} 1\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.util.Map<Integer, java.util.List<String>> gc = new java.util.LinkedHashMap<>();
        gc.put(10, Forks.seriesKeys(small));
        gc.put(100, Forks.seriesKeys(bigAfterGc));
        assertEquals(java.util.Map.of(10, 2, 100, 2), ScrapeCost.comparableCounts(gc));

        java.util.Map<Integer, java.util.List<String>> grown = new java.util.LinkedHashMap<>();
        grown.put(10, Forks.seriesKeys(small));
        grown.put(100, Forks.seriesKeys(bigWithAgentSeries));
        assertEquals(java.util.Map.of(10, 2, 100, 3), ScrapeCost.comparableCounts(grown));
        assertTrue(ScrapeCost.difference(grown).contains("at 100 only: [yawl_agent_live{state=\"agent-4711\"}]"),
                ScrapeCost.difference(grown));
    }

    @Test
    void theSignTestNeedsEveryRoundUpToFiveAndLetsOneOrTwoDissentBeyond() {
        List<Double> nineBase = java.util.Collections.nCopies(9, 100.0);
        // 8 of 9 higher: x(2)..x(8) of the differences lie above 0
        assertTrue(Stats.signTestResolves(nineBase, List.of(101.0, 102.0, 103.0, 101.0, 99.0, 104.0, 102.0, 101.0, 103.0), 0.95));
        // 7 of 9: the interval reaches below 0
        assertFalse(Stats.signTestResolves(nineBase, List.of(101.0, 102.0, 103.0, 98.0, 99.0, 104.0, 102.0, 101.0, 103.0), 0.95));
        // 3 rounds: all or nothing (the per-call step's rounds)
        List<Double> three = List.of(100.0, 100.0, 100.0);
        assertTrue(Stats.signTestResolves(three, List.of(99.0, 98.0, 97.0), 0.95));
        assertFalse(Stats.signTestResolves(three, List.of(99.0, 98.0, 101.0), 0.95));
        // a tie is no evidence, and one round says nothing about the noise
        assertFalse(Stats.signTestResolves(three, List.of(99.0, 100.0, 97.0), 0.95));
        assertFalse(Stats.signTestResolves(List.of(100.0), List.of(90.0), 0.95));
    }
}
