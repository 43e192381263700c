package dev.yawlmetrics.bench;

import dev.yawlmetrics.bench.harness.Forks;
import dev.yawlmetrics.bench.harness.HostProcess;
import dev.yawlmetrics.bench.harness.Stats;
import dev.yawlmetrics.bench.harness.Variant;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Heap after full GC with and without our agent, per subsystem, for N agents each: bytes per agent
 * without the agent, with it, and the difference (what the agent keeps per agent). Alternating rounds.
 *
 * <p>Usage: {@code java -Dbench.agent.jar=.. -cp benchmarks.jar dev.yawlmetrics.bench.Memory [--smoke] [--agents N] [--rounds N] [--out f.md]}
 */
public final class Memory {
    /**
     * Renewals scheduled (so per-registration state exists, with and without the agent) but not
     * firing during the measurement: in-flight HTTP renewals would make the heap swing by megabytes.
     */
    static final String QUIET_RENEWALS = "-Dfixture.heartbeat.periodMs=3600000";

    public static void main(String[] args) throws Exception {
        boolean smoke = Forks.smoke(args);
        int n = Integer.parseInt(Forks.option(args, "--agents", smoke ? "2000" : "100000"));
        int rounds = Integer.parseInt(Forks.option(args, "--rounds", smoke ? "1" : "3"));
        Path out = Forks.resultsFile(args, "memory.md");
        List<Variant> variants = List.of(Variant.PLAIN, Variant.YAWL);
        if (!Variant.YAWL.available()) {
            throw new IllegalStateException(Variant.YAWL.unavailableReason());
        }
        // population -> variant -> bytes per agent, one value per round
        Map<String, Map<Variant, List<Double>>> perAgent = new TreeMap<>();
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < variants.size(); i++) {
                Variant v = variants.get((i + r) % variants.size());
                // Serial GC, fixed heap: System.gc() is a full, compacting collection in both variants.
                List<String> cmd = Forks.hostCommand(v, Forks.freePort(), List.of("-Xms1g", "-Xmx1g", "-XX:+UseSerialGC", QUIET_RENEWALS),
                        "memory", Integer.toString(n));
                try (HostProcess host = new HostProcess(cmd)) {
                    host.awaitExit(600_000);
                    List<String> heap = host.lines("HEAP ");
                    if (heap.isEmpty()) {
                        throw new IllegalStateException("no HEAP lines from host:\n" + host.output());
                    }
                    for (String line : heap) {
                        String[] w = line.split(" ");
                        double bytes = (Long.parseLong(w[3]) - Long.parseLong(w[2])) / (double) n;
                        perAgent.computeIfAbsent(w[1], x -> new EnumMap<>(Variant.class)).computeIfAbsent(v, x -> new ArrayList<>()).add(bytes);
                        System.out.printf("[memory] round %d %-20s %-12s %.1f bytes/agent%n", r + 1, v.title, w[1], bytes);
                    }
                }
            }
        }
        StringBuilder sb = new StringBuilder("## 5. Memory: heap after GC per agent\n\n");
        sb.append("`BenchHost memory ").append(n).append("`: per subsystem, after a first batch of n/10 agents on the same instance (one-off costs in the baseline), heap used after 4x System.gc() (minimum) before and after creating ")
          .append(n).append(" more agents and exercising every instrumented call; `-Xms1g -Xmx1g -XX:+UseSerialGC " + QUIET_RENEWALS + "` (renewals scheduled, not firing during the measurement); ")
          .append(rounds).append(" alternating rounds; median [min–max].\n\n");
        sb.append("| subsystem | plain bytes/agent | with agent bytes/agent | added by agent bytes/agent |\n|---|---|---|---|\n");
        for (Map.Entry<String, Map<Variant, List<Double>>> e : perAgent.entrySet()) {
            Stats p = new Stats(e.getValue().get(Variant.PLAIN));
            Stats a = new Stats(e.getValue().get(Variant.YAWL));
            sb.append("| ").append(e.getKey()).append(" | ").append(p.summary("%.1f")).append(" | ").append(a.summary("%.1f"))
              .append(" | ").append(Stats.fmt("%+.1f", a.median() - p.median())).append(" |\n");
        }
        sb.append("\nTargets (issue 10): ≤ 32 bytes added per GenericPartyAgent-shaped instance, ≤ 64 per registered heartbeat ")
          .append("(GenericPartyAgent appears here once its population is in `fleet/Populations`).\n\n");
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, sb.toString());
        System.out.println(sb);
    }
}
