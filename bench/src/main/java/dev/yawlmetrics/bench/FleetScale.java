package dev.yawlmetrics.bench;

import dev.yawlmetrics.bench.fleet.HeartbeatPopulation;
import dev.yawlmetrics.bench.fleet.Populations;
import dev.yawlmetrics.bench.harness.Forks;
import dev.yawlmetrics.bench.harness.HostProcess;
import dev.yawlmetrics.bench.harness.JfrAttribution;
import dev.yawlmetrics.bench.harness.Stats;
import dev.yawlmetrics.bench.harness.ThreadCpu;
import dev.yawlmetrics.bench.harness.Variant;
import dev.yawlmetrics.testsupport.Scrape;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Fleet scale (issue 10 item 4): the heartbeat population alone, N agents registered with one
 * engine-shaped {@code EtcdAgentRegistryClient} using the newer engine's single-thread heartbeat
 * executor ({@code -Dfixture.heartbeat.executor=single}), renewals at the engine's 10 s period,
 * etcd stand-in on loopback in the same JVM. One fork without and one with our agent, each under a
 * JFR recording of execution samples; over a steady window after populating:
 * <ul>
 *   <li>renewals completed per second (etcd puts received by the stand-in: known with and without
 *       the agent) vs offered (N / period), process CPU (/proc/PID/stat utime+stime);</li>
 *   <li>the share of execution samples attributed to the agent ({@link JfrAttribution}; target
 *       &lt; 2 %) and the agent's top frames;</li>
 *   <li>with the agent, what its /metrics say over the same window: task-count rate, queue depth,
 *       active threads, renewal latency and lateness (bucket deltas).</li>
 * </ul>
 * Fails (exit 1) on correctness problems only: no renewals in a fork, the agent's task count not
 * moving, a JFR file missing or without samples in the window, a host that fails.
 *
 * <p>Usage: {@code java -Dbench.agent.jar=.. -cp benchmarks.jar dev.yawlmetrics.bench.FleetScale
 * [--smoke] [--agents N] [--period-ms P] [--window-s W] [--settle-s S] [--scrape-s S] [--heap 4g]
 * [--populate-threads K] [--direct true|false] [--variants plain,yawl] [--out f.md]}
 */
public final class FleetScale {
    static final String LATENCY = "yawl_heartbeat_latency_ms";
    /** {instrumentation} = 0|1: whether the agent fork runs an instrumentation at all (ablations). */
    static final String INSTRUMENTATION_ENABLED = "yawl_metrics_agent_instrumentation_enabled";
    static final String LATENESS = "yawl_heartbeat_renewal_lateness_ms";
    static final String TASKS = "yawl_heartbeat_executor_task_count_total";
    static final String QUEUE = "yawl_heartbeat_executor_queue_depth";
    static final String ACTIVE = "yawl_heartbeat_executor_active_threads";
    static final String OUTCOMES = "yawl_heartbeat_renewal_success_total";
    static final String NODELAY = "-Dsun.net.httpserver.nodelay=true";
    /** The engine-shaped registry client's request timeout (ms; the engine's own is 5 s). */
    static final String ETCD_TIMEOUT_PROPERTY = "fixture.etcd.timeoutMs";

    /** What one fork measured over its window. */
    static final class Run {
        Variant variant;
        long populateMs;
        double windowS;
        /** The window in wall-clock time, to select JFR samples of exactly the measured interval. */
        Instant from;
        Instant to;
        long putsDelta;
        double cpuS;
        String loadBefore;
        String loadAfter;
        /** Event type -> attribution of its samples in the window. */
        Map<String, JfrAttribution> jfr = Map.of();

        JfrAttribution exec() {
            return jfr.get(JfrAttribution.EXECUTION_SAMPLE);
        }
        // agent fork only
        double tasksDelta;
        final List<String> queueTrend = new ArrayList<>();
        final List<Double> queueValues = new ArrayList<>();
        double activeMax;
        Map<Double, Double> latencyBuckets;
        Map<Double, Double> latenessBuckets;
        Map<String, Double> outcomes = new TreeMap<>();
    }

    public static void main(String[] args) throws Exception {
        boolean smoke = Forks.smoke(args);
        int n = Integer.parseInt(Forks.option(args, "--agents", smoke ? "2000" : "1000000"));
        long periodMs = Long.parseLong(Forks.option(args, "--period-ms", smoke ? "1000" : "10000"));
        int windowS = Integer.parseInt(Forks.option(args, "--window-s", smoke ? "4" : "60"));
        int settleS = Integer.parseInt(Forks.option(args, "--settle-s", smoke ? "2" : "15"));
        int scrapeS = Integer.parseInt(Forks.option(args, "--scrape-s", smoke ? "1" : "15"));
        String heap = Forks.option(args, "--heap", smoke ? "512m" : "4g");
        int threads = Integer.parseInt(Forks.option(args, "--populate-threads", "2"));
        boolean direct = Boolean.parseBoolean(Forks.option(args, "--direct", smoke ? "false" : "true"));
        HeartbeatCapacity.Settings capacity = HeartbeatCapacity.Settings.from(args, smoke);
        boolean attribution = !"capacity".equals(Forks.option(args, "--only", ""));
        Path out = Forks.resultsFile(args, "fleet.md");
        Path dir = out.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        if (!Variant.YAWL.available()) {
            throw new IllegalStateException(Variant.YAWL.unavailableReason());
        }
        if (attribution && Variant.emptyAgentInYawl()) {
            // 4b attributes samples to our agent's code and reads its /metrics: an empty agent has neither.
            throw new IllegalArgumentException("-Dbench.yawl.javaagent=empty is for the capacity comparison only: add --only capacity");
        }
        if (attribution && Variant.ourAgentInPlain()) {
            // 4b's plain fork is the baseline of the attribution: with our agent in it, its figures would silently be an agent's.
            throw new IllegalArgumentException("-Dbench.plain.javaagent=ours is for the capacity comparison only: add --only capacity");
        }
        List<String> failures = new ArrayList<>();
        // Capacity first: its short forks are the comparison the fleet step exists for.
        List<HeartbeatCapacity.Result> capacities = new ArrayList<>();
        for (HeartbeatCapacity.Shape shape : capacity.shapes) {
            capacities.add(HeartbeatCapacity.run(shape, capacity, threads, failures));
        }
        String report = HeartbeatCapacity.report(capacities, capacity, smoke);
        List<Run> runs = new ArrayList<>();
        if (attribution) {
            Path jfc = dir.resolve("fleet-samples.jfc");
            Files.writeString(jfc, """
                    <?xml version="1.0" encoding="UTF-8"?>
                    <configuration version="2.0" label="fleet-scale" description="execution samples only">
                      <event name="jdk.ExecutionSample">
                        <setting name="enabled">true</setting>
                        <setting name="period">10 ms</setting>
                      </event>
                      <event name="jdk.CPUTimeSample">
                        <setting name="enabled">true</setting>
                        <setting name="throttle">10 ms</setting>
                      </event>
                    </configuration>
                    """);
            List<String> jvmArgs = new ArrayList<>(hostJvmArgs(heap, "single", periodMs, threads, direct));
            jvmArgs.add("-XX:FlightRecorderOptions:stackdepth=256");
            String exampleCommand = null;
            List<Variant> variants = Variant.parse(Forks.option(args, "--variants", "plain,yawl"));
            if (!variants.contains(Variant.PLAIN) || !variants.contains(Variant.YAWL) || variants.size() != 2) {
                throw new IllegalArgumentException("--variants: plain and yawl, in the order to run them (got " + variants + ")");
            }
            for (Variant v : variants) {
                Path jfr = dir.resolve("fleet-" + v.name().toLowerCase(Locale.ROOT) + ".jfr");
                Files.deleteIfExists(jfr);
                List<String> args2 = new ArrayList<>(jvmArgs);
                args2.add("-XX:StartFlightRecording:filename=" + jfr + ",settings=" + jfc + ",dumponexit=true");
                int port = Forks.freePort();
                List<String> cmd = Forks.hostCommand(v, port, args2, "serve", Integer.toString(n));
                if (v == Variant.YAWL) {
                    // Relative to the working directory (the repository root under bench/run.sh).
                    exampleCommand = ("java " + String.join(" ", cmd.subList(1, cmd.size()))).replace(Path.of("").toAbsolutePath() + "/", "");
                }
                Run run = fork(v, cmd, port, n, settleS, windowS, scrapeS, failures);
                if (!Files.isRegularFile(jfr) || Files.size(jfr) == 0) {
                    failures.add(v.title + ": JFR recording " + jfr + " missing or empty");
                } else {
                    run.jfr = JfrAttribution.read(jfr, run.from, run.to);
                    if (run.exec() == null || run.exec().samples == 0) {
                        failures.add(v.title + ": no jdk.ExecutionSample in the window of " + jfr);
                    }
                }
                System.out.printf(Locale.ROOT, "[fleet] %s: window %.1f s, renewals %.0f/s (offered %.0f/s), CPU %.2f cores, JFR samples %d, agent share %.2f %%%n",
                        v.title, run.windowS, run.putsDelta / run.windowS, n * 1000.0 / periodMs, run.cpuS / run.windowS,
                        run.exec() == null ? 0 : run.exec().samples, run.exec() == null ? 0 : 100 * run.exec().agentShare());
                runs.add(run);
            }
            report += report(runs, n, periodMs, windowS, settleS, scrapeS, heap, threads, direct, exampleCommand, failures);
        } else {
            for (String f : failures) {
                report += "- **FAILED**: " + f + "\n";
            }
        }
        Files.writeString(out, report);
        System.out.println(report);
        for (Run r : runs) { // the last lines are what bench/run.sh shows
            System.out.printf(Locale.ROOT, "[fleet] %-20s renewals %,.0f/s of %,.0f/s offered, CPU %.2f cores, agent share %s (execution) / %s (CPU time)%n",
                    r.variant.title, r.putsDelta / r.windowS, n * 1000.0 / periodMs, r.cpuS / r.windowS,
                    share(r.exec()), share(r.jfr.get(JfrAttribution.CPU_TIME_SAMPLE)));
        }
        for (HeartbeatCapacity.Result c : capacities) {
            System.out.println("[fleet] " + HeartbeatCapacity.summaryLine(c, smoke));
        }
        if (!failures.isEmpty()) {
            System.err.println("[fleet] FAILED: " + failures);
            System.exit(1);
        }
    }

    /**
     * The host's JVM arguments, identical for both variants (the agent fork only adds -javaagent
     * and the bench's own -Dbench.yawl.port): heap, GC, the heartbeat population alone with the
     * given executor shape and period, and the JVM-wide switches of the etcd stand-in.
     */
    static List<String> hostJvmArgs(String heap, String executor, long periodMs, int threads, boolean direct) {
        return List.of("-Xms" + heap, "-Xmx" + heap, "-XX:+UseParallelGC",
                "-D" + Populations.ONLY_PROPERTY + "=heartbeat",
                "-Dfixture.heartbeat.executor=" + executor,
                "-Dfixture.heartbeat.periodMs=" + periodMs,
                "-D" + HeartbeatPopulation.THREADS_PROPERTY + "=" + threads,
                "-D" + HeartbeatPopulation.DIRECT_PROPERTY + "=" + direct,
                // TCP_NODELAY for the host's own com.sun.net.httpserver servers, here the etcd stand-in
                // (JVM-wide, read once). Older agents set it from their endpoint; the stand-in is given
                // it explicitly in both forks so that they differ by the agent only, whatever the agent
                // does (an A/B of the plain host with and without it showed no throughput difference).
                NODELAY);
    }

    /**
     * One host fork: start, populate n agents, settle, then a window measuring etcd puts (renewals
     * completed), process CPU and, with our agent, its /metrics every scrapeS seconds (and at both
     * ends). Correctness problems go to failures.
     */
    static Run fork(Variant v, List<String> cmd, int port, int n, int settleS, int windowS, int scrapeS,
                    List<String> failures) throws Exception {
        System.out.println("[fleet] " + v.title + ": " + String.join(" ", cmd));
        Run run = new Run();
        run.variant = v;
        try (HostProcess host = new HostProcess(cmd)) {
            String ready = host.await("READY", 600_000);
            run.populateMs = Long.parseLong(ready.replaceAll(".*populate_ms=(\\d+).*", "$1"));
            System.out.printf("[fleet] %s: %d agents populated in %.1f s%n", v.title, n, run.populateMs / 1000.0);
            Thread.sleep(settleS * 1000L);
            String url = v.metricsUrl(port);
            if (v == Variant.YAWL) {
                Forks.awaitEndpoint(url, host.process(), 60_000);
            }
            long pid = host.process().pid();
            run.loadBefore = loadAverage();
            Scrape s0 = v == Variant.YAWL ? scrape(url) : null;
            long puts0 = puts(host);
            long cpu0 = cpuTicks(pid);
            run.from = Instant.now();
            long t0 = System.nanoTime();
            if (s0 != null) {
                trend(run, s0, 0);
            }
            long end = t0 + windowS * 1_000_000_000L;
            while (System.nanoTime() < end) {
                Thread.sleep(Math.min(scrapeS * 1000L, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
                if (v == Variant.YAWL && System.nanoTime() < end - 500_000_000L) {
                    trend(run, scrape(url), (System.nanoTime() - t0) / 1e9);
                }
            }
            long cpu1 = cpuTicks(pid);
            long puts1 = puts(host);
            Scrape s1 = v == Variant.YAWL ? scrape(url) : null;
            run.to = Instant.now();
            run.windowS = (System.nanoTime() - t0) / 1e9;
            run.loadAfter = loadAverage();
            run.cpuS = (cpu1 - cpu0) / (double) clockTicksPerSecond();
            run.putsDelta = puts1 - puts0;
            if (s1 != null) {
                trend(run, s1, run.windowS);
                run.tasksDelta = s1.value(TASKS) - s0.value(TASKS);
                run.latencyBuckets = bucketDeltas(s0, s1, LATENCY);
                run.latenessBuckets = bucketDeltas(s0, s1, LATENESS);
                for (Scrape.Sample smp : s1.find(OUTCOMES)) {
                    String o = smp.labels().get("outcome");
                    run.outcomes.put(o, smp.value() - s0.value(OUTCOMES, "outcome", o));
                }
                if (run.tasksDelta <= 0) {
                    failures.add(v.title + ": " + TASKS + " did not move over the window (renewals not recorded)");
                }
            }
            if (run.putsDelta <= 0) {
                failures.add(v.title + ": the etcd stand-in received no renewal over the window");
            }
            host.send("exit");
            host.awaitExit(180_000);
        }
        return run;
    }

    private static String share(JfrAttribution a) {
        return a == null ? "-" : Stats.fmt("%.2f %%", 100 * a.agentShare());
    }

    static Scrape scrape(String url) {
        byte[] body = Forks.get(url);
        if (body == null) {
            throw new IllegalStateException("scrape of " + url + " failed");
        }
        return Scrape.parse(new String(body, StandardCharsets.UTF_8));
    }

    private static void trend(Run run, Scrape s, double atS) {
        double q = s.value(QUEUE);
        run.queueValues.add(q);
        run.queueTrend.add(String.format(Locale.ROOT, "%.0f s: %,.0f", atS, q));
        run.activeMax = Math.max(run.activeMax, s.value(ACTIVE));
    }

    /** Sends "stats" and returns etcd_puts from the new STATS line. */
    static long puts(HostProcess host) throws Exception {
        int before = host.lines("STATS ").size();
        host.send("stats");
        long deadline = System.currentTimeMillis() + 30_000;
        while (host.lines("STATS ").size() == before) {
            if (System.currentTimeMillis() > deadline || !host.process().isAlive()) {
                throw new IllegalStateException("no STATS answer from host; output:\n" + host.output());
            }
            Thread.sleep(5);
        }
        List<String> lines = host.lines("STATS ");
        String last = lines.get(lines.size() - 1);
        return Long.parseLong(last.replaceAll(".*etcd_puts=(\\d+).*", "$1"));
    }

    /** Compiler CPU over this many seconds at most {@link #JIT_QUIET_TICKS} clock ticks: JIT warm-up is over. */
    static final int JIT_QUIET_S = 2;
    static final long JIT_QUIET_TICKS = 2;

    /**
     * Waits until the JIT compiler threads of pid used at most {@link #JIT_QUIET_TICKS} ticks of CPU
     * over {@link #JIT_QUIET_S} s, or capS seconds passed; true when it got quiet. A capacity window
     * that overlaps JIT warm-up measures how fast the JIT finishes on a loaded machine (and a JVM with
     * an agent compiles more: its recorders, the woven methods), not the executor's steady state.
     */
    static boolean awaitQuietJit(long pid, int capS) throws InterruptedException {
        long deadline = System.nanoTime() + capS * 1_000_000_000L;
        long last = compilerTicks(pid);
        java.util.ArrayDeque<Long> history = new java.util.ArrayDeque<>();
        history.add(last);
        while (System.nanoTime() < deadline) {
            Thread.sleep(1000);
            long now = compilerTicks(pid);
            history.add(now);
            if (history.size() > JIT_QUIET_S + 1) {
                history.removeFirst();
            }
            if (history.size() == JIT_QUIET_S + 1 && now - history.peekFirst() <= JIT_QUIET_TICKS) {
                return true;
            }
        }
        return false;
    }

    /** utime+stime of the threads named "C1 CompilerThre..." / "C2 CompilerThre..." (HotSpot's JIT). */
    static long compilerTicks(long pid) {
        return ThreadCpu.snapshot(pid).entrySet().stream()
                .filter(e -> ThreadCpu.isCompiler(e.getKey())).mapToLong(Map.Entry::getValue).sum();
    }

    static long cpuTicks(long pid) throws IOException {
        return ThreadCpu.ticks(Files.readString(Path.of("/proc/" + pid + "/stat")));
    }

    static long clockTicksPerSecond() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").start();
            String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor() == 0 ? Long.parseLong(s) : 100;
        } catch (Exception e) {
            return 100;
        }
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "?";
        }
    }

    /** Per upper bound (le, +Inf as infinity), the increase of the cumulative bucket count. */
    static Map<Double, Double> bucketDeltas(Scrape s0, Scrape s1, String histogram) {
        Map<Double, Double> out = new TreeMap<>();
        for (Scrape.Sample b : s1.find(histogram + "_bucket")) {
            String le = b.labels().get("le");
            double bound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
            out.put(bound, b.value() - s0.value(histogram + "_bucket", "le", le));
        }
        return out;
    }

    /**
     * The bucket holding quantile q of the cumulative deltas: "≤ b ms" for the first bucket,
     * "in (a ms, b ms]" for others, "> a ms" in +Inf; "-" when the histogram did not move.
     */
    static String quantile(Map<Double, Double> cumulative, double q) {
        if (cumulative == null || cumulative.isEmpty()) {
            return "-";
        }
        double total = cumulative.getOrDefault(Double.POSITIVE_INFINITY, 0.0);
        if (total <= 0) {
            return "-";
        }
        double last = 0;
        for (Map.Entry<Double, Double> e : cumulative.entrySet()) {
            if (e.getValue() >= q * total) {
                return e.getKey().isInfinite() ? "> " + fmtMs(last)
                        : last == 0 ? "≤ " + fmtMs(e.getKey()) : "in (" + fmtMs(last) + ", " + fmtMs(e.getKey()) + "]";
            }
            if (!e.getKey().isInfinite()) {
                last = e.getKey();
            }
        }
        return "> " + fmtMs(last);
    }

    private static String fmtMs(double ms) {
        return String.format(Locale.ROOT, "%,.0f ms", ms);
    }

    static String report(List<Run> runs, int n, long periodMs, int windowS, int settleS, int scrapeS, String heap, int threads,
                         boolean direct, String exampleCommand, List<String> failures) {
        double offered = n * 1000.0 / periodMs;
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "### 4b. Agent share at scale: %,d registered agents, renewals every %.0f s, single-thread heartbeat executor\n\n", n, periodMs / 1000.0));
        sb.append(String.format(Locale.ROOT,
                "Host: `BenchHost serve %d` with only the heartbeat population (`-D%s=heartbeat`): %,d agents registered with one "
                + "engine-shaped `EtcdAgentRegistryClient` using the newer engine's `Executors.newSingleThreadScheduledExecutor` "
                + "(`-Dfixture.heartbeat.executor=single`), renewal period %d ms (`-Dfixture.heartbeat.periodMs`; the engine's is 10,000), "
                + "so **%,.0f renewals/s offered**; etcd stand-in on loopback in the same JVM (answers every put with 200). "
                + "`-Xms%s -Xmx%s -XX:+UseParallelGC " + NODELAY + "` (in both forks: TCP_NODELAY for the host's own JDK HTTP server, "
                + "the etcd stand-in, so that the forks differ by the agent only), populated from %d threads%s. "
                + "JFR from JVM start (`-XX:StartFlightRecording` with only `jdk.ExecutionSample` every 10 ms and `jdk.CPUTimeSample` every 10 ms of CPU, stack depth 256); "
                + "after populating and %d s settling, a %d s window: samples in the window, process CPU from `/proc/PID/stat` "
                + "(utime+stime), renewals completed = etcd puts received by the stand-in (the same count with and without the agent); "
                + "with the agent, /metrics scraped every %d s (as Prometheus would). One fork per variant, %s first: this part is for the agent's share of the samples (one recording each); the with/without capacity comparison is 4a.\n\n",
                n, Populations.ONLY_PROPERTY, n, periodMs, offered, heap, heap, threads,
                direct ? " (the first 1,000 through `register()`, the rest through what `register()` does after its initial put: "
                        + "cache entry + the engine's own `startHeartbeat`, reflectively, `-Dbench.populate.direct=true`; "
                        + "renewals and per-agent state are identical)" : " through the engine's `register()` (initial put + `startHeartbeat`)",
                settleS, windowS, scrapeS, runs.isEmpty() ? "-" : runs.get(0).variant == Variant.PLAIN ? "plain" : "agent"));
        sb.append("| variant | populate s | renewals completed/s | offered/s | completed / offered | process CPU (cores) | CPU µs per renewal | load avg before → after |\n");
        sb.append("|---|---|---|---|---|---|---|---|\n");
        for (Run r : runs) {
            double rate = r.putsDelta / r.windowS;
            sb.append("| ").append(r.variant.title)
              .append(" | ").append(Stats.fmt("%.1f", r.populateMs / 1000.0))
              .append(" | ").append(Stats.fmt("%,.0f", rate))
              .append(" | ").append(Stats.fmt("%,.0f", offered))
              .append(" | ").append(Stats.fmt("%.2f %%", 100 * rate / offered))
              .append(" | ").append(Stats.fmt("%.2f", r.cpuS / r.windowS))
              .append(" | ").append(r.putsDelta > 0 ? Stats.fmt("%,.0f", r.cpuS * 1e6 / r.putsDelta) : "-")
              .append(" | ").append(r.loadBefore).append(" → ").append(r.loadAfter).append(" |\n");
        }
        Run plain = runs.stream().filter(r -> r.variant == Variant.PLAIN).findFirst().orElse(null);
        Run agent = runs.stream().filter(r -> r.variant == Variant.YAWL).findFirst().orElse(null);
        if (plain != null && agent != null && plain.putsDelta > 0 && agent.putsDelta > 0) {
            sb.append(String.format(Locale.ROOT, "\nWith / without the agent: process CPU x%.2f, renewals completed x%.2f, CPU per renewal x%.2f "
                    + "(one fork each, JFR on: not a capacity comparison, which is 4a; the shares below come from one recording each and are what this part is for).\n",
                    (agent.cpuS / agent.windowS) / (plain.cpuS / plain.windowS),
                    (agent.putsDelta / agent.windowS) / (plain.putsDelta / plain.windowS),
                    (agent.cpuS / agent.putsDelta) / (plain.cpuS / plain.putsDelta)));
        }
        sb.append("\nJFR samples in the window attributed to the agent (target < 2 %):\n\n"
                + "| variant | sampler | samples | agent share | agent frame anywhere on stack (upper bound) | samples without stack |\n|---|---|---|---|---|---|\n");
        for (Run r : runs) {
            for (String type : List.of(JfrAttribution.EXECUTION_SAMPLE, JfrAttribution.CPU_TIME_SAMPLE)) {
                JfrAttribution a = r.jfr.get(type);
                if (a == null) {
                    continue;
                }
                sb.append("| ").append(r.variant.title).append(" | `").append(type).append("` | ").append(a.samples)
                  .append(" | ").append(Stats.fmt(r.variant == Variant.YAWL ? "**%.2f %%**" : "%.2f %%", 100 * a.agentShare()))
                  .append(" | ").append(Stats.fmt("%.1f %%", 100 * a.anyFrameShare()))
                  .append(" | ").append(a.noStack).append(" |\n");
            }
        }
        sb.append("\nAgent share = samples whose topmost non-JDK frame is in `dev.yawlmetrics.agent` (shaded Micrometer/Byte Buddy included), "
                + "or JDK-only stacks on the agent's own `yawl-metrics-*` threads, / all samples with a stack in the window. "
                + "`jdk.ExecutionSample` (every 10 ms) samples only threads running Java code; `jdk.CPUTimeSample` (JDK 25, experimental, "
                + "one sample per 10 ms of a thread's CPU time) also samples threads in native code and the kernel, so it is the closer "
                + "measure of CPU. \"Anywhere on stack\" counts every sample with an agent frame at any depth: it charges whole renewals "
                + "(HTTP put included) to the agent, because the agent's `RenewalTask` wrapper is at the bottom of every renewal's stack.\n");
        if (agent != null) {
            for (String type : List.of(JfrAttribution.EXECUTION_SAMPLE, JfrAttribution.CPU_TIME_SAMPLE)) {
                JfrAttribution a = agent.jfr.get(type);
                if (a == null || a.samples == 0) {
                    continue;
                }
                sb.append("\nTop agent frames, `").append(type).append("` (topmost agent frame of each agent sample, package `dev.yawlmetrics.agent.` omitted):\n\n"
                        + "| frame | samples | share of all samples |\n|---|---|---|\n");
                for (Map.Entry<String, Long> e : JfrAttribution.top(a.agentFrames, 5)) {
                    sb.append("| `").append(e.getKey()).append("` | ").append(e.getValue()).append(" | ")
                      .append(Stats.fmt("%.2f %%", 100.0 * e.getValue() / a.samples)).append(" |\n");
                }
                sb.append("\nSamples of the agent fork by thread (digits folded): ");
                List<String> parts = new ArrayList<>();
                for (Map.Entry<String, Long> e : JfrAttribution.top(a.threads, 6)) {
                    parts.add("`" + e.getKey() + "` " + Stats.fmt("%.0f %%", 100.0 * e.getValue() / a.samples));
                }
                sb.append(String.join(", ", parts)).append(".\n");
            }
        }
        if (agent != null && agent.latencyBuckets != null) {
            double tasksRate = agent.tasksDelta / agent.windowS;
            sb.append("\nWhat the agent's /metrics show over the same window (agent fork):\n\n| metric | value |\n|---|---|\n");
            sb.append("| `rate(").append(TASKS).append(")` | ").append(Stats.fmt("%,.0f/s", tasksRate))
              .append(" (offered ").append(Stats.fmt("%,.0f/s", offered)).append(", i.e. ").append(Stats.fmt("%.2f %%", 100 * tasksRate / offered)).append(") |\n");
            sb.append("| renewal outcomes in the window | ").append(agent.outcomes).append(" |\n");
            sb.append("| `").append(QUEUE).append("` over the window | ").append(String.join("; ", agent.queueTrend)).append(" |\n");
            sb.append("| `").append(ACTIVE).append("` max | ").append(Stats.fmt("%.0f", agent.activeMax)).append(" |\n");
            sb.append("| `").append(LATENCY).append("` p50 / p99 (bucket bounds) | ").append(quantile(agent.latencyBuckets, 0.5))
              .append(" / ").append(quantile(agent.latencyBuckets, 0.99)).append(" |\n");
            sb.append("| `").append(LATENESS).append("` p50 / p99 (bucket bounds) | ").append(quantile(agent.latenessBuckets, 0.5))
              .append(" / ").append(quantile(agent.latenessBuckets, 0.99)).append(" |\n");
            sb.append("\n").append(finding(agent, offered, periodMs)).append("\n");
        }
        sb.append("\nCommand of the agent fork (the plain fork is the same without `-javaagent`/`-Dbench.yawl.port`):\n\n```\n")
          .append(exampleCommand).append("\n```\n");
        for (String f : failures) {
            sb.append("- **FAILED**: ").append(f).append("\n");
        }
        return sb.append("\n").toString();
    }

    /** Upper bound of the bucket holding the median (infinity when it is in +Inf). */
    static double p50UpperBound(Map<Double, Double> cumulative) {
        double total = cumulative.getOrDefault(Double.POSITIVE_INFINITY, 0.0);
        for (Map.Entry<Double, Double> e : cumulative.entrySet()) {
            if (e.getValue() >= 0.5 * total) {
                return e.getKey();
            }
        }
        return Double.POSITIVE_INFINITY;
    }

    static String finding(Run agent, double offered, long periodMs) {
        double rate = agent.tasksDelta / agent.windowS;
        double backlogPerS = offered - rate;
        StringBuilder sb = new StringBuilder("**Finding.** ");
        boolean late = !"-".equals(quantile(agent.latenessBuckets, 0.5)) && p50UpperBound(agent.latenessBuckets) > periodMs;
        if (rate < 0.98 * offered || late) {
            sb.append(String.format(Locale.ROOT,
                    "The single heartbeat thread completes %,.0f renewals/s of the %,.0f/s offered (%.1f %%): every second about %,.0f more "
                    + "renewals become overdue, so a renewal's start slips by about %.0f s per minute of operation "
                    + "(`%s` p50 %s in the window), while each renewal itself stays fast (`%s` p50 %s). "
                    + "`%s` stays at about the number of registered agents (scheduled renewals, not a backlog: the backlog shows as lateness). "
                    + "Once lateness passes the lease TTL (30 s in the engine), registrations expire in etcd although every renewal "
                    + "\"succeeds\": latency and success rate alone would call this healthy. An operator must alert on lateness "
                    + "(and on `rate(%s)` < registered agents / %.0f s) long before 1M agents. "
                    + "Renewals run one after another on one thread, so the executor's capacity is the period divided by one "
                    + "renewal's duration: here about %,.0f agents (%,.0f/s × %.0f s) with etcd on loopback; an etcd across a "
                    + "network, with a longer round trip per put, serves fewer.",
                    rate, offered, 100 * rate / offered, backlogPerS, 60 * (1 - rate / offered),
                    LATENESS, quantile(agent.latenessBuckets, 0.5), LATENCY, quantile(agent.latencyBuckets, 0.5),
                    QUEUE, TASKS, periodMs / 1000.0, rate * periodMs / 1000.0, rate, periodMs / 1000.0));
        } else {
            sb.append(String.format(Locale.ROOT,
                    "The heartbeat executor keeps up at this size: %,.0f renewals/s completed of %,.0f/s offered; lateness p99 %s.",
                    rate, offered, quantile(agent.latenessBuckets, 0.99)));
        }
        return sb.toString();
    }
}
