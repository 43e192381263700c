package dev.yawlmetrics.bench.lateattach;

import dev.yawlmetrics.bench.harness.Forks;
import dev.yawlmetrics.bench.harness.HostProcess;
import dev.yawlmetrics.bench.harness.Stats;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lifecycle and discovery in the shape-preserving mode of a late attach (per-agent state in a weak
 * side table) next to the start-up mode (fields added at load) and a JVM without the agent: heap
 * per GenericPartyAgent and cost per lifecycle transition and per discovery cycle. Alternating
 * rounds, one fork per mode and round, medians.
 *
 * <p>Usage: {@code java -Dbench.agent.jar=.. -cp benchmarks.jar dev.yawlmetrics.bench.lateattach.LateAttach [--smoke] [--agents N] [--rounds N] [--out f.md]}
 */
public final class LateAttach {
    static final List<String> MODES = List.of("plain", "javaagent", "attached");

    public static void main(String[] args) throws Exception {
        boolean smoke = Forks.smoke(args);
        int n = Integer.parseInt(Forks.option(args, "--agents", smoke ? "2000" : "100000"));
        int rounds = Integer.parseInt(Forks.option(args, "--rounds", smoke ? "1" : "3"));
        int calls = smoke ? 20_000 : 500_000;
        Path out = Forks.resultsFile(args, "late-attach.md");
        String jar = System.getProperty("bench.agent.jar");
        if (jar == null || !Files.isRegularFile(Paths.get(jar))) {
            throw new IllegalStateException("-Dbench.agent.jar must name the built agent jar");
        }
        Map<String, List<Double>> heap = new LinkedHashMap<>();
        Map<String, List<Double>> stop = new LinkedHashMap<>();
        Map<String, List<Double>> cycle = new LinkedHashMap<>();
        for (String m : MODES) {
            heap.put(m, new ArrayList<>());
            stop.put(m, new ArrayList<>());
            cycle.put(m, new ArrayList<>());
        }
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < MODES.size(); i++) {
                String mode = MODES.get((i + r) % MODES.size());
                int port = Forks.freePort();
                List<String> cmd = new ArrayList<>(List.of(Forks.java(), "-Xms1g", "-Xmx1g", "-XX:+UseSerialGC",
                        "-Djdk.attach.allowAttachSelf=true", "-XX:+EnableDynamicAgentLoading", "-Dbench.agent.jar=" + jar));
                if (mode.equals("javaagent")) {
                    cmd.add("-javaagent:" + Paths.get(jar).toAbsolutePath() + "=port=" + port + ",host=127.0.0.1");
                }
                cmd.addAll(List.of("-cp", Forks.classPath(), LateAttachHost.class.getName(), mode, Integer.toString(port),
                        Integer.toString(n), Integer.toString(calls)));
                try (HostProcess host = new HostProcess(cmd)) {
                    host.await("DONE", 600_000);
                    String[] h = host.lines("HEAP ").get(0).split(" ");
                    double perAgent = (Long.parseLong(h[2]) - Long.parseLong(h[1])) / (double) n;
                    heap.get(mode).add(perAgent);
                    for (String l : host.lines("STOP ")) {
                        stop.get(mode).add(Double.parseDouble(l.substring(5)));
                    }
                    for (String l : host.lines("CYCLE ")) {
                        cycle.get(mode).add(Double.parseDouble(l.substring(6)));
                    }
                    System.out.printf("[late-attach] round %d %-9s %.1f bytes/agent, stop %s ns/transition, cycle %s ns%n", r + 1, mode,
                            perAgent, host.lines("STOP "), host.lines("CYCLE "));
                }
            }
        }
        double plainHeap = new Stats(heap.get("plain")).median();
        double plainStop = new Stats(stop.get("plain")).median();
        double plainCycle = new Stats(cycle.get("plain")).median();
        StringBuilder sb = new StringBuilder("## Late attach: lifecycle and discovery without changing the class's shape\n\n");
        sb.append("`LateAttachHost`: GenericPartyAgent loaded first; `attached` = the agent attached to the running JVM (per-agent state in the weak side table `targets/SideStates`), `javaagent` = started with the JVM (fields added at load), `plain` = no agent. Heap after 4x System.gc() (after a first batch of n/10 agents and one call of each kind, so one-off costs stay out) around creating ")
          .append(n).append(" agents and stopping each (two transitions); then ").append(calls)
          .append(" `stop()` calls on one agent (two `lifecycle.set` each, reported per transition) and as many no-work `runDiscoveryCycle()` calls, 5 timed rounds after 2 warm-up rounds per fork; `-Xms1g -Xmx1g -XX:+UseSerialGC`; ")
          .append(rounds).append(" alternating forks per mode; median [min–max].\n\n");
        sb.append("| mode | bytes per agent | added vs plain | ns per transition | x plain | ns per discovery cycle | x plain |\n|---|---|---|---|---|---|---|\n");
        for (String m : MODES) {
            Stats hs = new Stats(heap.get(m));
            Stats ss = new Stats(stop.get(m));
            Stats cs = new Stats(cycle.get(m));
            sb.append("| ").append(m).append(" | ").append(hs.summary("%.1f")).append(" | ").append(Stats.fmt("%+.1f", hs.median() - plainHeap))
              .append(" | ").append(ss.summary("%.1f")).append(" | ").append(Stats.fmt("%.2f", ss.median() / plainStop))
              .append(" | ").append(cs.summary("%.1f")).append(" | ").append(Stats.fmt("%.2f", cs.median() / plainCycle)).append(" |\n");
        }
        sb.append('\n');
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, sb.toString());
        System.out.println(sb);
    }
}
