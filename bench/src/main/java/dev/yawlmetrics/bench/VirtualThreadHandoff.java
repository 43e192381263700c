package dev.yawlmetrics.bench;

import dev.yawlmetrics.bench.harness.EmptyAgent;
import dev.yawlmetrics.bench.harness.Forks;
import dev.yawlmetrics.bench.harness.Stats;
import dev.yawlmetrics.bench.harness.Variant;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * What any {@code -javaagent} costs a virtual-thread hand-off on this JDK, apart from what the agent
 * does: two virtual threads pass a turn back and forth with park/unpark, so every hand-off is one
 * unmount and one mount. HotSpot reports each mount and unmount to JVMTI once any JVMTI environment
 * exists, and {@code -javaagent} creates one, whatever the agent's premain does. The renewal path
 * of the heartbeat capacity step runs on virtual threads (the newer engine's heartbeat executor
 * thread and the etcd stand-in's handlers), so this is the floor under that step's ratio that no
 * agent code can remove.
 *
 * <p>Three forks per round, in rotating order: no agent, the empty agent of the benchmarks jar,
 * and ours ({@code -Dbench.agent.jar}). One carrier by default ({@code --carriers 1}), so the
 * hand-off is the transition itself, not the scheduler's choice of core.
 *
 * <pre>java -Dbench.agent.jar=agent/target/yawl-metrics-agent.jar -cp bench/target/benchmarks.jar \
 *     dev.yawlmetrics.bench.VirtualThreadHandoff [--rounds 5] [--handoffs 1000000] [--carriers 1] [--out f.md]</pre>
 */
public final class VirtualThreadHandoff {
    private VirtualThreadHandoff() {}

    enum Fork {
        PLAIN("no agent"), EMPTY("empty agent"), OURS("yawl-metrics-agent");

        final String title;

        Fork(String title) {
            this.title = title;
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("child")) {
            child(Integer.parseInt(args[1]));
            return;
        }
        int rounds = Integer.parseInt(Forks.option(args, "--rounds", "5"));
        int handoffs = Integer.parseInt(Forks.option(args, "--handoffs", "1000000"));
        int carriers = Integer.parseInt(Forks.option(args, "--carriers", "1"));
        if (rounds < 1 || handoffs < 1000 || carriers < 1) {
            throw new IllegalArgumentException("--rounds >= 1, --handoffs >= 1000, --carriers >= 1");
        }
        Path agent = Variant.YAWL.jar();
        if (agent == null || !Files.isRegularFile(agent)) {
            throw new IllegalArgumentException("-Dbench.agent.jar: the agent jar to measure (got " + agent + ")");
        }
        List<List<Double>> ns = new ArrayList<>();
        for (Fork f : Fork.values()) {
            ns.add(new ArrayList<>());
        }
        StringBuilder table = new StringBuilder("| round | order | no agent ns | empty agent ns | ours ns |\n|---|---|---|---|---|\n");
        for (int r = 0; r < rounds; r++) {
            double[] row = new double[Fork.values().length];
            List<String> order = new ArrayList<>();
            for (int i = 0; i < Fork.values().length; i++) {
                Fork f = Fork.values()[(r + i) % Fork.values().length];
                order.add(f.title);
                row[f.ordinal()] = fork(f, agent, handoffs, carriers);
                ns.get(f.ordinal()).add(row[f.ordinal()]);
            }
            String line = String.format(Locale.ROOT, "| %d | %s | %.0f | %.0f | %.0f |", r + 1, String.join(", ", order),
                    row[0], row[1], row[2]);
            System.out.println("[handoff] " + line);
            table.append(line).append('\n');
        }
        String report = report(ns, rounds, handoffs, carriers, agent, table.toString());
        System.out.println(report);
        String out = Forks.option(args, "--out", "");
        if (!out.isEmpty()) {
            Files.writeString(Paths.get(out), report, StandardCharsets.UTF_8);
        }
    }

    static String report(List<List<Double>> ns, int rounds, int handoffs, int carriers, Path agent, String table) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Virtual-thread hand-offs (park/unpark between two virtual threads, %,d per fork, %d carrier(s),"
                + " ns per hand-off = median of the fork's last 4 of 6 passes), %d round(s), fork order rotating; agent %s%n%n",
                handoffs, carriers, rounds, agent.getFileName()));
        if (!Forks.agentJvmArgs().isEmpty()) {
            sb.append("JVM arguments of the forks with an agent only (`-Dbench.agent.jvmargs`): `")
              .append(String.join(" ", Forks.agentJvmArgs())).append("`\n\n");
        }
        sb.append(table).append('\n');
        for (Fork f : Fork.values()) {
            sb.append(String.format(Locale.ROOT, "- %s: %s ns%n", f.title, new Stats(ns.get(f.ordinal())).summary("%.0f")));
        }
        sb.append(comparison("empty agent / no agent (what any -javaagent costs)", ns.get(0), ns.get(1)));
        sb.append(comparison("ours / empty agent (what our agent adds to a hand-off)", ns.get(1), ns.get(2)));
        sb.append(comparison("ours / no agent", ns.get(0), ns.get(2)));
        return sb.toString();
    }

    /** "- title: ratio median [min–max], +d ns per hand-off; difference resolved|within noise (k of n rounds)". */
    static String comparison(String title, List<Double> base, List<Double> other) {
        List<Double> ratios = Stats.ratios(base, other);
        List<Double> diffs = Stats.perRound(base, other);
        long higher = diffs.stream().filter(d -> d > 0).count();
        boolean resolved = Stats.signTestResolves(base, other, Stats.CONFIDENCE);
        return String.format(Locale.ROOT, "- %s: %s, %+.0f ns per hand-off (median of the rounds); %s (higher in %d of %d rounds)%n",
                title, new Stats(ratios).summary("%.2f"), new Stats(diffs).median(),
                resolved ? "difference resolved" : "within noise", higher, diffs.size());
    }

    /** The fork's command line: the forks with an agent get {@link Forks#agentJvmArgs}, the one without does not. */
    static List<String> command(Fork f, Path agent, int handoffs, int carriers) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Forks.java());
        cmd.add("-Djdk.virtualThreadScheduler.parallelism=" + carriers);
        if (f != Fork.PLAIN) {
            cmd.addAll(Forks.agentJvmArgs());
        }
        switch (f) {
            case PLAIN -> { }
            case EMPTY -> cmd.add("-javaagent:" + EmptyAgent.jar());
            // port=0: an ephemeral port, so that forks never collide; the endpoint stays idle.
            case OURS -> cmd.add("-javaagent:" + agent + "=port=0,host=127.0.0.1");
        }
        cmd.addAll(List.of("-cp", Forks.classPath(), VirtualThreadHandoff.class.getName(), "child", Integer.toString(handoffs)));
        return cmd;
    }

    private static double fork(Fork f, Path agent, int handoffs, int carriers) throws IOException, InterruptedException {
        List<String> cmd = command(f, agent, handoffs, carriers);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out;
        try {
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                throw new IllegalStateException(f.title + ": the fork did not finish in 5 minutes");
            }
            out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            p.destroyForcibly();
        }
        for (String line : out.split("\n")) {
            if (line.startsWith("handoff-ns ")) {
                return Double.parseDouble(line.substring("handoff-ns ".length()).trim());
            }
        }
        throw new IllegalStateException(f.title + ": no result from the fork (exit " + p.exitValue() + "): " + out);
    }

    private static volatile int turn;

    /** In the fork: 6 passes of {@code handoffs} hand-offs; prints the median ns of the last 4. */
    private static void child(int handoffs) throws InterruptedException {
        List<Double> passes = new ArrayList<>();
        for (int pass = 0; pass < 6; pass++) {
            Thread[] t = new Thread[2];
            turn = 0;
            int perThread = handoffs / 2;
            for (int k = 0; k < 2; k++) {
                final int me = k;
                t[k] = Thread.ofVirtual().unstarted(() -> {
                    for (int i = 0; i < perThread; i++) {
                        while (turn != me) {
                            LockSupport.park();
                        }
                        turn = 1 - me;
                        LockSupport.unpark(t[1 - me]);
                    }
                });
            }
            long start = System.nanoTime();
            t[0].start();
            t[1].start();
            t[0].join();
            t[1].join();
            if (pass >= 2) {
                passes.add((System.nanoTime() - start) / (2.0 * perThread));
            }
        }
        System.out.println("handoff-ns " + new Stats(passes).median());
        // The agent's endpoint thread is a daemon: nothing else keeps this JVM alive.
    }
}
