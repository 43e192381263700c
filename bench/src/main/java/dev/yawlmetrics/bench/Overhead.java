package dev.yawlmetrics.bench;

import dev.yawlmetrics.bench.harness.Forks;
import dev.yawlmetrics.bench.harness.Stats;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Per-call overhead: every benchmark in {@code dev.yawlmetrics.bench.percall} (except the floor)
 * runs in alternating rounds, one fork without and one fork with {@code -javaagent}, and the floor
 * runs in every round too. Reports, per call: plain and instrumented medians (min-max over rounds),
 * added = instrumented - plain (medians), and added / floor against the 1.3x target; with 2 or
 * more rounds also the fork-to-fork noise per call, and no verdict where the added time is within it.
 *
 * <p>Usage: {@code java -Dbench.agent.jar=... -cp benchmarks.jar dev.yawlmetrics.bench.Overhead [--smoke] [--rounds N] [--include REGEX] [--out file.md]}
 */
public final class Overhead {
    static final String PERCALL = "dev\\.yawlmetrics\\.bench\\.percall\\.";
    static final String FLOOR = "dev.yawlmetrics.bench.percall.Floor.clockPairAndRecord";
    static final double TARGET = 1.3;

    public static void main(String[] args) throws Exception {
        boolean smoke = Forks.smoke(args);
        int rounds = Integer.parseInt(Forks.option(args, "--rounds", smoke ? "1" : "3"));
        String include = Forks.option(args, "--include", PERCALL + ".*");
        Path out = Forks.resultsFile(args, "overhead.md");
        String agentJar = System.getProperty("bench.agent.jar");
        if (agentJar == null || !Files.isRegularFile(Paths.get(agentJar))) {
            throw new IllegalStateException("-Dbench.agent.jar must name the built agent jar, got " + agentJar);
        }
        // One port for every agent fork of the run: forks run one after another.
        int port = Forks.freePort();
        String agentArg = "-javaagent:" + Paths.get(agentJar).toAbsolutePath() + "=port=" + port + ",host=127.0.0.1";
        String portArg = "-D" + dev.yawlmetrics.bench.fleet.AgentPort.PROPERTY + "=" + port;
        // Same heap and GC in both variants; only the -javaagent differs.
        // --sun-misc-unsafe-memory-access=allow only silences JMH's own Unsafe warning on Java 25;
        // nodelay makes the loopback etcd stand-in of HeartbeatRenewal answer without Nagle's
        // 40 ms delayed-ACK stalls (it also applies to our endpoint, which is idle while measuring).
        String[] common = {"-Xms256m", "-Xmx256m", "-XX:+UseParallelGC", "--sun-misc-unsafe-memory-access=allow",
                "-Dsun.net.httpserver.nodelay=true"};

        Map<String, List<Double>> plain = new TreeMap<>();
        Map<String, List<Double>> instrumented = new TreeMap<>();
        for (int r = 0; r < rounds; r++) {
            // Alternate which variant goes first, so drift in machine load hits both alike.
            boolean agentFirst = r % 2 == 1;
            for (int k = 0; k < 2; k++) {
                boolean withAgent = (k == 0) == agentFirst;
                ChainedOptionsBuilder o = new OptionsBuilder()
                        .include(include)
                        .forks(1)
                        .threads(1)
                        .mode(org.openjdk.jmh.annotations.Mode.AverageTime)
                        .timeUnit(TimeUnit.NANOSECONDS)
                        .shouldFailOnError(true)
                        .jvmArgsAppend(withAgent ? concat(concat(common, agentArg), portArg) : common);
                if (smoke) {
                    o.warmupIterations(1).warmupTime(TimeValue.milliseconds(200))
                     .measurementIterations(2).measurementTime(TimeValue.milliseconds(200));
                } else {
                    o.warmupIterations(3).warmupTime(TimeValue.seconds(1))
                     .measurementIterations(5).measurementTime(TimeValue.seconds(1));
                }
                System.out.println("[overhead] round " + (r + 1) + "/" + rounds + (withAgent ? " WITH agent" : " plain"));
                for (RunResult rr : new Runner(o.build()).run()) {
                    String name = rr.getParams().getBenchmark();
                    (withAgent ? instrumented : plain).computeIfAbsent(name, x -> new ArrayList<>())
                            .add(rr.getPrimaryResult().getScore());
                }
            }
        }
        String report = report(plain, instrumented, rounds, smoke, include, agentArg, common);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, report);
        System.out.println(report);
    }

    static String[] concat(String[] a, String b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + 1);
        out[a.length] = b;
        return out;
    }

    static String report(Map<String, List<Double>> plain, Map<String, List<Double>> agent, int rounds,
                         boolean smoke, String include, String agentArg, String[] common) {
        StringBuilder sb = new StringBuilder();
        sb.append("## 1. Per-call overhead (JMH, avgt, ns/op)\n\n");
        sb.append("Rounds: ").append(rounds).append(" (each round: one fork plain, one fork with the agent, order alternating), ")
          .append(smoke ? "smoke: 1x200 ms warm-up, 2x200 ms measurement" : "3x1 s warm-up, 5x1 s measurement")
          .append(" per fork. Benchmarks: `").append(include).append("`. JVM args both variants: `")
          .append(String.join(" ", common)).append("`; agent variant adds `").append(agentArg.replaceAll(":\\S*/", ":.../"))
          .append("`.\nEach fork with the agent ends by reading the agent's /metrics and fails unless the measured call was recorded.\n\n");
        List<Double> floorScores = new ArrayList<>(plain.getOrDefault(FLOOR, List.of()));
        floorScores.addAll(agent.getOrDefault(FLOOR, List.of()));
        if (floorScores.isEmpty()) {
            sb.append("Floor benchmark not run (include pattern excluded it).\n");
            return sb.toString();
        }
        double floor = new Stats(floorScores).median();
        sb.append("Floors (same run; median [min–max] over all forks):\n\n| floor | plain forks | agent forks |\n|---|---|---|\n");
        for (String name : plain.keySet()) {
            if (name.contains(".Floor.")) {
                sb.append("| ").append(name.substring(name.lastIndexOf('.') + 1)).append(" | ")
                  .append(new Stats(plain.get(name)).summary("%.1f")).append(" | ")
                  .append(agent.containsKey(name) ? new Stats(agent.get(name)).summary("%.1f") : "–").append(" |\n");
            }
        }
        sb.append("\nFloor used for the ratio: `Floor.clockPairAndRecord` median over all forks = ")
          .append(Stats.fmt("%.1f", floor)).append(" ns.\n\n");
        sb.append("| call | plain | with agent | added (median) | added / floor | target ≤ ").append(TARGET).append("x |\n|---|---|---|---|---|---|\n");
        Map<String, String> rows = new LinkedHashMap<>();
        for (String name : plain.keySet()) {
            if (name.contains(".Floor.") || !agent.containsKey(name)) {
                continue;
            }
            Stats p = new Stats(plain.get(name));
            Stats a = new Stats(agent.get(name));
            double added = a.median() - p.median();
            double ratio = added / floor;
            String shortName = name.replace("dev.yawlmetrics.bench.percall.", "");
            // A target verdict on an added time the forks cannot resolve would be a coin toss.
            String verdict = rounds >= 2 && !Stats.signTestResolves(plain.get(name), agent.get(name), Stats.CONFIDENCE) ? "within noise"
                    : ratio <= TARGET ? "met" : "**missed**";
            rows.put(shortName, "| " + shortName + " | " + p.summary("%.1f") + " | " + a.summary("%.1f") + " | "
                    + Stats.fmt("%.1f", added) + " | " + Stats.fmt("%.2f", ratio) + "x | " + verdict + " |\n");
        }
        rows.values().forEach(sb::append);
        sb.append("\n");
        noise(sb, plain, agent, rounds);
        return sb.toString();
    }

    /**
     * Fork-to-fork noise per call: the added time of each round (agent fork minus plain fork of
     * the same round) and each variant's spread over its forks (max - min). When the rounds do not
     * all agree on the sign of the added time, the with/without comparison cannot resolve it: the
     * main table then says "within noise" instead of met/missed.
     */
    static void noise(StringBuilder sb, Map<String, List<Double>> plain, Map<String, List<Double>> agent, int rounds) {
        if (rounds < 2) {
            sb.append("Noise: 1 round, so fork-to-fork noise is not measured; use `--rounds 3` or more for figures.\n\n");
            return;
        }
        sb.append("Noise (per call: added per round = agent fork − plain fork of the same round, median [min–max];"
                + " spread = max − min over a variant's forks. The added time is resolved when every round agrees on its sign"
                + " (by chance alone: ").append(Stats.fmt("%.1f", 100 * Math.pow(2, 1 - rounds)))
          .append(" % with ").append(rounds).append(" rounds), else within noise and the table above gives no verdict):\n\n");
        sb.append("| call | added per round | plain spread | agent spread | added vs noise |\n|---|---|---|---|---|\n");
        for (String name : plain.keySet()) {
            if (name.contains(".Floor.") || !agent.containsKey(name)) {
                continue;
            }
            Stats ps = new Stats(plain.get(name));
            Stats as = new Stats(agent.get(name));
            sb.append("| ").append(name.replace("dev.yawlmetrics.bench.percall.", "")).append(" | ")
              .append(new Stats(Stats.perRound(plain.get(name), agent.get(name))).summary("%.1f")).append(" | ")
              .append(Stats.fmt("%.1f", ps.max() - ps.min())).append(" | ")
              .append(Stats.fmt("%.1f", as.max() - as.min())).append(" | ")
              .append(Stats.signTestResolves(plain.get(name), agent.get(name), Stats.CONFIDENCE) ? "resolved" : "**within noise**").append(" |\n");
        }
        sb.append("\n");
    }
}
