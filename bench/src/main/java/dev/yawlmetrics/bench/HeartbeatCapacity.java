package dev.yawlmetrics.bench;

import dev.yawlmetrics.bench.harness.EmptyAgent;
import dev.yawlmetrics.bench.harness.Forks;
import dev.yawlmetrics.bench.harness.HostProcess;
import dev.yawlmetrics.bench.harness.Stats;
import dev.yawlmetrics.bench.harness.ThreadCpu;
import dev.yawlmetrics.bench.harness.Variant;

import dev.yawlmetrics.testsupport.Scrape;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Heartbeat capacity with and without the agent (issue 14): the renewals per second one heartbeat
 * executor completes when more are offered than it can run, which is the engine's capacity in
 * registered agents (capacity x period). Paired rounds in alternating order (round 1 plain
 * first, round 2 agent first, ...), each fork a fresh JVM with identical JVM arguments except
 * {@code -javaagent}; per round the ratio agent / plain; the median ratio with its min-max, each
 * variant's spread, and a paired sign test (as the per-call step): the difference is resolved only
 * when every round agrees on its sign. The verdict against the target uses a 95 % distribution-free
 * interval of the median ratio ({@link Stats#medianInterval}): met or missed only when that interval
 * lies on one side of the target, so a run says whether it could tell at all; with the fork-to-fork
 * noise of a 2-core machine (a JVM 10-15 % faster or slower for its whole life) it often cannot.
 * With {@code --capacity-empty-fork true} each round has a third fork, the empty agent, so that
 * what any {@code -javaagent} costs and what ours adds come from the same hour.
 *
 * <p>Why short forks with a short period: a saturated executor runs renewals back to back, so its
 * rate does not depend on the period as long as far more renewals are offered than it completes;
 * the period only decides how long until the first renewals fall due (the engine's initial delay
 * equals the period). 2 s and 50,000 agents offer 25,000/s, several times what one thread or four
 * complete on 2 cores, and keep one fork under half a minute. The settling time (8 s) lets the JIT
 * compile the renewal path (and, in the agent fork, the agent's recorders) before the window.
 */
final class HeartbeatCapacity {
    static final double TARGET = 0.99;
    static final double CONFIDENCE = Stats.CONFIDENCE;
    /** Completed / offered above this: the executor kept up, so its capacity was not measured. */
    static final double SATURATED_BELOW = 0.8;

    /** The two engine versions' heartbeat executors (fixture property {@code fixture.heartbeat.executor}). */
    enum Shape {
        SINGLE("single", "newer engine: `Executors.newSingleThreadScheduledExecutor` (1 virtual thread)"),
        POOL("pool", "older engine: `Executors.newScheduledThreadPool(4)` (4 virtual threads)");

        final String property;
        final String title;

        Shape(String property, String title) {
            this.property = property;
            this.title = title;
        }
    }

    static final class Settings {
        int rounds;
        int agents;
        long periodMs;
        int settleS;
        /** After settleS, wait at most this long for the JIT to go quiet (0 = do not wait). */
        int jitCapS;
        int windowS;
        /** Windows per fork and round, alternating ABBA between the two warm forks. */
        int windows;
        String heap;
        List<Shape> shapes = new ArrayList<>();
        /** A third fork per round that runs the empty agent: what any -javaagent costs and what ours adds, from the same hour. */
        boolean emptyFork;

        static Settings from(String[] args, boolean smoke) {
            Settings s = new Settings();
            s.rounds = Integer.parseInt(Forks.option(args, "--capacity-rounds", smoke ? "1" : "5"));
            s.agents = Integer.parseInt(Forks.option(args, "--capacity-agents", smoke ? "10000" : "50000"));
            s.periodMs = Long.parseLong(Forks.option(args, "--capacity-period-ms", smoke ? "1000" : "2000"));
            s.settleS = Integer.parseInt(Forks.option(args, "--capacity-settle-s", smoke ? "2" : "8"));
            s.jitCapS = Integer.parseInt(Forks.option(args, "--capacity-jit-cap-s", smoke ? "0" : "60"));
            s.windowS = Integer.parseInt(Forks.option(args, "--capacity-window-s", smoke ? "2" : "5"));
            s.windows = Integer.parseInt(Forks.option(args, "--capacity-windows", smoke ? "1" : "4"));
            s.heap = Forks.option(args, "--capacity-heap", smoke ? "512m" : "2g");
            String emptyFork = Forks.option(args, "--capacity-empty-fork", "false");
            if (!emptyFork.equals("true") && !emptyFork.equals("false")) {
                throw new IllegalArgumentException("--capacity-empty-fork " + emptyFork + ": true or false");
            }
            s.emptyFork = emptyFork.equals("true");
            if (s.emptyFork && (Variant.emptyAgentInPlain() || Variant.ourAgentInPlain() || Variant.emptyAgentInYawl())) {
                // The third fork is the empty agent: with either fork changed as well, no ratio would mean what its name says.
                throw new IllegalArgumentException("--capacity-empty-fork true compares a plain JVM, the empty agent and ours:"
                        + " it cannot be combined with -Dbench.plain.javaagent or -Dbench.yawl.javaagent");
            }
            for (String shape : Forks.option(args, "--capacity-executors", smoke ? "single" : "single,pool").split(",")) {
                if (!shape.isBlank()) {
                    s.shapes.add(Shape.valueOf(shape.trim().toUpperCase(Locale.ROOT)));
                }
            }
            if (s.rounds < 1 || s.windows < 1 || s.windowS < 1 || (long) s.settleS * 1000 <= s.periodMs) {
                throw new IllegalArgumentException("--capacity-rounds, --capacity-windows and --capacity-window-s >= 1, and --capacity-settle-s longer than the period"
                        + " (the first renewals fall due one period after registering)");
            }
            return s;
        }

        double offered() {
            return agents * 1000.0 / periodMs;
        }

        List<Arm> arms() {
            return emptyFork ? List.of(Arm.PLAIN, Arm.EMPTY, Arm.AGENT) : List.of(Arm.PLAIN, Arm.AGENT);
        }
    }

    /** The forks of a round: a plain JVM, optionally the empty agent, and ours. */
    enum Arm {
        PLAIN(Variant.PLAIN, "plain"),
        EMPTY(Variant.PLAIN, "empty agent"),
        AGENT(Variant.YAWL, "agent");

        final Variant variant;
        /** How the report's columns and order name it. */
        final String label;

        Arm(Variant variant, String label) {
            this.variant = variant;
            this.label = label;
        }

        String title() {
            return this == EMPTY ? "empty agent (-javaagent that does nothing)" : variant.title;
        }

        /** True when this fork runs a {@code -javaagent}: ours or the empty one. */
        boolean hasAgent() {
            return this != PLAIN || Variant.emptyAgentInPlain() || Variant.ourAgentInPlain();
        }

        /**
         * The empty agent rides on the plain variant, so that the two differ by this one argument
         * only; the forks with an agent get {@link Forks#agentJvmArgs} as well.
         */
        List<String> jvmArgs(List<String> common) {
            List<String> args = new ArrayList<>(common);
            if (hasAgent()) {
                args.addAll(Forks.agentJvmArgs());
            }
            if (this == EMPTY) {
                args.add("-javaagent:" + EmptyAgent.jar());
            }
            return args;
        }
    }

    /**
     * Three forks per round cycle through all six orders, so that for each pair of forks each
     * goes first in half of every two rounds' orders, and each fork goes first in a third of the
     * rounds; two forks alternate, round 1 plain first.
     */
    private static final int[][] THREE_FORK_ORDERS = {{0, 1, 2}, {2, 1, 0}, {1, 2, 0}, {0, 2, 1}, {2, 0, 1}, {1, 0, 2}};

    static List<Arm> order(List<Arm> arms, int round) {
        if (arms.size() == 2) {
            return round % 2 == 0 ? arms : arms.reversed();
        }
        List<Arm> order = new ArrayList<>();
        for (int i : THREE_FORK_ORDERS[round % THREE_FORK_ORDERS.length]) {
            order.add(arms.get(i));
        }
        return order;
    }

    /** One executor shape's rounds; index r of each list is round r. */
    static final class Result {
        final Shape shape;
        final List<Double> plain = new ArrayList<>();
        final List<Double> agent = new ArrayList<>();
        final List<Double> plainCpuUs = new ArrayList<>();
        final List<Double> agentCpuUs = new ArrayList<>();
        /** Per round, CPU µs per renewal by thread group (see {@link ThreadCpu}). */
        final List<Map<String, Double>> plainCpuByGroup = new ArrayList<>();
        final List<Map<String, Double>> agentCpuByGroup = new ArrayList<>();
        /** The empty-agent fork's rounds (--capacity-empty-fork true); empty otherwise. */
        final List<Double> empty = new ArrayList<>();
        final List<Double> emptyCpuUs = new ArrayList<>();
        /** Set when the agent fork ran with its heartbeat instrumentation off (an ablation). */
        boolean heartbeatOff;
        /** Per round, which fork warmed up first ("plain first", ...). */
        final List<String> order = new ArrayList<>();
        final List<String> load = new ArrayList<>();
        /** Per round, agent / plain of each pair of windows (the within-round, time-to-time noise). */
        final List<List<Double>> windowRatios = new ArrayList<>();
        /** Per round "plain s / agent s" from READY to the window, "*" where the JIT never got quiet. */
        final List<String> settled = new ArrayList<>();
        double offered;

        Result(Shape shape) {
            this.shape = shape;
        }

        double medianRatio() {
            return new Stats(Stats.ratios(plain, agent)).median();
        }

        /**
         * The difference is resolved when the median ratio's interval (the sign test inverted) lies
         * wholly on one side of 1. Up to 5 rounds that interval is [min, max], so every round must
         * agree, as the per-call step asks; with more rounds it need not be every one (9 rounds:
         * 8 of 9), which one slow fork in 15 rounds no longer vetoes.
         */
        boolean resolved() {
            return Stats.signTestResolves(plain, agent, CONFIDENCE);
        }

        Stats.Interval ratioInterval() {
            return new Stats(Stats.ratios(plain, agent)).medianInterval(CONFIDENCE);
        }

        /** Both variants completed well under what was offered in every fork. */
        boolean saturated() {
            List<Double> all = new ArrayList<>(plain);
            all.addAll(agent);
            return new Stats(all).max() < SATURATED_BELOW * offered;
        }
    }

    static Result run(Shape shape, Settings s, int populateThreads, List<String> failures) throws Exception {
        Result result = new Result(shape);
        result.offered = s.offered();
        List<String> jvmArgs = hostJvmArgs(s, shape.property, populateThreads);
        for (int r = 0; r < s.rounds; r++) {
            List<Arm> order = order(s.arms(), r);
            result.order.add(order.get(0).label + " first");
            String loadBefore = FleetScale.loadAverage();
            Map<Arm, PausedFork> forks = new EnumMap<>(Arm.class);
            try {
                // Warmed up one after the other, each alone on the machine: the others are paused
                // (SIGSTOP) while one populates and its JIT settles.
                for (Arm a : order) {
                    System.out.printf(Locale.ROOT, "[fleet] capacity %s round %d/%d: %s%n", shape.property, r + 1, s.rounds, a.title());
                    forks.put(a, PausedFork.start(a, jvmArgs, s, shape, r));
                }
                // Windows alternate between the warm forks: round order, then reversed (ABBA, ABCCBA).
                for (int w = 0; w < s.windows; w++) {
                    for (Arm a : w % 2 == 0 ? order : order.reversed()) {
                        forks.get(a).window(s);
                    }
                }
                for (PausedFork f : forks.values()) {
                    f.finish(failures);
                }
            } finally {
                for (PausedFork f : forks.values()) {
                    f.close();
                }
            }
            PausedFork plain = forks.get(Arm.PLAIN);
            PausedFork agent = forks.get(Arm.AGENT);
            PausedFork empty = forks.get(Arm.EMPTY);
            if (empty != null) {
                result.empty.add(empty.rate());
                result.emptyCpuUs.add(empty.cpuUsPerRenewal());
                System.out.printf(Locale.ROOT, "[fleet] capacity %s round %d: empty agent %,.0f/s (empty / plain %.3f, agent / empty %.3f)%n",
                        shape.property, r + 1, empty.rate(), empty.rate() / plain.rate(), agent.rate() / empty.rate());
            }
            result.plain.add(plain.rate());
            result.agent.add(agent.rate());
            result.plainCpuUs.add(plain.cpuUsPerRenewal());
            result.agentCpuUs.add(agent.cpuUsPerRenewal());
            result.plainCpuByGroup.add(plain.cpuUsPerRenewalByGroup());
            result.agentCpuByGroup.add(agent.cpuUsPerRenewalByGroup());
            result.heartbeatOff |= agent.heartbeatOff;
            result.windowRatios.add(Stats.ratios(plain.rates, agent.rates));
            result.load.add(loadBefore + " → " + FleetScale.loadAverage());
            result.settled.add(plain.settled() + " / " + agent.settled());
            System.out.printf(Locale.ROOT, "[fleet] capacity %s round %d: plain %,.0f/s, agent %,.0f/s (agent / plain %.3f; per window pair %s), "
                            + "CPU µs per renewal %,.0f / %,.0f (JIT %.1f / %.1f)%n", shape.property, r + 1, plain.rate(), agent.rate(),
                    agent.rate() / plain.rate(), fmtRatios(result.windowRatios.get(r)), plain.cpuUsPerRenewal(), agent.cpuUsPerRenewal(),
                    jitUs(result.plainCpuByGroup.get(r)), jitUs(result.agentCpuByGroup.get(r)));
        }
        return result;
    }

    /**
     * The renewals' request timeout: twice the longest SIGSTOP a capacity fork can sit through (the
     * first fork of a round waits stopped while the second one starts, populates and settles).
     * With the engine's 5 s, every renewal in flight when a fork was stopped timed out the moment it
     * was resumed: failures the harness made, which no running engine sees, taken on every resume
     * through the engine's, the HTTP client's and (in the agent fork) the agent's failure paths. Their
     * deoptimisations and recompilations fell into the windows, and agent forks 8-14 % slower for
     * their whole life were five times as frequent (docs/benchmarks.md, "Harness-made timeouts").
     */
    static long requestTimeoutMs(Settings s) {
        return 2 * longestPauseMs(s);
    }

    /**
     * The first fork waits stopped through the other forks' starts (ready, endpoint, settling, JIT
     * cap each), and between two of its windows through two of each other fork's (ABBA, ABCCBA):
     * whichever is longer.
     */
    static long longestPauseMs(Settings s) {
        int others = s.arms().size() - 1;
        long start = PausedFork.READY_TIMEOUT_MS + PausedFork.ENDPOINT_TIMEOUT_MS + (s.settleS + (long) s.jitCapS) * 1000L;
        long window = s.windowS * 1000L + (long) (PausedFork.RESUME_S * 1000);
        return Math.max(others * start, 2L * others * window);
    }

    static List<String> hostJvmArgs(Settings s, String executor, int populateThreads) {
        List<String> args = new ArrayList<>(FleetScale.hostJvmArgs(s.heap, executor, s.periodMs, populateThreads, true));
        args.add("-D" + FleetScale.ETCD_TIMEOUT_PROPERTY + "=" + requestTimeoutMs(s));
        return List.copyOf(args);
    }

    /** CPU µs per renewal of HotSpot's compiler threads ("C1 CompilerThre", "C2 CompilerThre"). */
    static double jitUs(Map<String, Double> byGroup) {
        return byGroup.entrySet().stream().filter(e -> ThreadCpu.isCompiler(e.getKey())).mapToDouble(Map.Entry::getValue).sum();
    }

    static String fmtRatios(List<Double> ratios) {
        return ratios.stream().map(x -> Stats.fmt("%.3f", x)).collect(java.util.stream.Collectors.joining(", "));
    }

    /**
     * One warm host fork that runs only during its own windows and is stopped (SIGSTOP) otherwise,
     * so that the other variant's windows have the machine to themselves and the two forks are
     * compared minutes apart at most, not one fork's lifetime apart. Stopping freezes the whole JVM
     * (the executor, the HTTP client and the in-process etcd stand-in alike); after SIGCONT
     * {@link #RESUME_S} s pass before a window, for overdue timers and requests timed out across
     * the pause to clear.
     */
    static final class PausedFork implements AutoCloseable {
        static final double RESUME_S = 1.5;
        static final long READY_TIMEOUT_MS = 180_000;
        static final long ENDPOINT_TIMEOUT_MS = 60_000;
        final Arm arm;
        final int port;
        final HostProcess host;
        final long pid;
        final List<Double> rates = new ArrayList<>();
        long puts;
        long cpuTicks;
        final Map<String, Long> groupTicks = new HashMap<>();
        double seconds;
        double settledS;
        boolean jitQuiet;
        Scrape first;
        /** The agent fork's heartbeat instrumentation is off: renewals are counted at the stand-in only. */
        boolean heartbeatOff;

        private PausedFork(Arm arm, int port, HostProcess host) {
            this.arm = arm;
            this.port = port;
            this.host = host;
            this.pid = host.process().pid();
        }

        static PausedFork start(Arm arm, List<String> jvmArgs, Settings s, Shape shape, int round) throws Exception {
            Variant v = arm.variant;
            for (int attempt = 1; ; attempt++) {
                int port = Forks.freePort();
                List<String> cmd = Forks.hostCommand(v, port, arm.jvmArgs(jvmArgs), "serve", Integer.toString(s.agents));
                System.out.println("[fleet] " + arm.title() + ": " + String.join(" ", cmd));
                PausedFork f = new PausedFork(arm, port, new HostProcess(cmd));
                // The pid names the fork's own files (e.g. -Xlog:...:file=x-%p.log via bench.host.jvmargs).
                System.out.println("[fleet] capacity " + shape.property + " round " + (round + 1) + " " + arm.title() + ": pid " + f.pid);
                try {
                    f.host.await("READY", READY_TIMEOUT_MS);
                    long settleStart = System.nanoTime();
                    if (v == Variant.YAWL && !Variant.emptyAgentInYawl() || v == Variant.PLAIN && Variant.ourAgentInPlain()) {
                        // Before the settling, not after it: a first scrape loads and compiles the
                        // endpoint's and the exposition's code, and that JIT work (and any
                        // deoptimisation the new classes cause) must be over before the windows,
                        // since the plain fork has nothing like it.
                        Forks.awaitEndpoint(v.metricsUrl(port), f.host.process(), ENDPOINT_TIMEOUT_MS);
                        f.first = FleetScale.scrape(v.metricsUrl(port));
                        f.heartbeatOff = f.first.value(FleetScale.INSTRUMENTATION_ENABLED, "instrumentation", "heartbeat") == 0;
                    }
                    Thread.sleep(Math.max(0, s.settleS * 1000L - (System.nanoTime() - settleStart) / 1_000_000));
                    f.jitQuiet = s.jitCapS <= 0 || FleetScale.awaitQuietJit(f.pid, s.jitCapS);
                    f.settledS = (System.nanoTime() - settleStart) / 1e9;
                    f.signal("STOP");
                    return f;
                } catch (IllegalStateException e) {
                    f.close();
                    // Seen once at load average ~48: the stand-in's first puts timed out (5 s) while
                    // the fresh JVM warmed up, so registering failed. One fresh retry, then give up.
                    if (attempt > 1) {
                        throw e;
                    }
                    System.out.println("[fleet] capacity " + shape.property + " round " + (round + 1) + " " + arm.title()
                            + ": host failed, retrying once in a fresh JVM: " + e.getMessage().lines().findFirst().orElse(""));
                }
            }
        }

        void window(Settings s) throws Exception {
            signal("CONT");
            try {
                Thread.sleep((long) (RESUME_S * 1000));
                long puts0 = FleetScale.puts(host);
                long cpu0 = FleetScale.cpuTicks(pid);
                Map<String, Long> groups0 = ThreadCpu.snapshot(pid);
                long t0 = System.nanoTime();
                Thread.sleep(s.windowS * 1000L);
                long cpu1 = FleetScale.cpuTicks(pid);
                ThreadCpu.add(groupTicks, ThreadCpu.delta(groups0, ThreadCpu.snapshot(pid)));
                long puts1 = FleetScale.puts(host);
                double dt = (System.nanoTime() - t0) / 1e9;
                rates.add((puts1 - puts0) / dt);
                puts += puts1 - puts0;
                cpuTicks += cpu1 - cpu0;
                seconds += dt;
            } finally {
                signal("STOP");
            }
        }

        /** Resumes the fork for good and checks that it renewed and, with the agent, recorded it. */
        void finish(List<String> failures) throws Exception {
            signal("CONT");
            if (puts <= 0) {
                failures.add(arm.title() + ": the etcd stand-in received no renewal in the capacity windows");
            }
            if (first != null && !heartbeatOff) {
                double tasks = FleetScale.scrape(arm.variant.metricsUrl(port)).value(FleetScale.TASKS) - first.value(FleetScale.TASKS);
                if (tasks <= 0) {
                    failures.add(arm.title() + ": " + FleetScale.TASKS + " did not move over the capacity windows (renewals not recorded)");
                }
            }
            host.send("exit");
            host.awaitExit(180_000);
        }

        double rate() {
            return puts / seconds;
        }

        double cpuUsPerRenewal() {
            return puts > 0 ? cpuTicks / (double) FleetScale.clockTicksPerSecond() * 1e6 / puts : 0;
        }

        Map<String, Double> cpuUsPerRenewalByGroup() {
            Map<String, Double> us = new HashMap<>();
            double perTick = 1e6 / FleetScale.clockTicksPerSecond();
            groupTicks.forEach((g, t) -> us.put(g, puts > 0 ? t * perTick / puts : 0));
            return us;
        }

        String settled() {
            return Stats.fmt("%.0f", settledS) + (jitQuiet ? "" : "*");
        }

        private void signal(String signal) throws Exception {
            if (!host.process().isAlive()) {
                throw new IllegalStateException(arm.title() + " host exited" + exitNote(host.process().exitValue())
                        + "; output:\n" + host.output());
            }
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true).start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + pid + ": " + new String(kill.getInputStream().readAllBytes()));
            }
        }

        /**
         * Why a fork may have died while stopped: a stopped process whose process group becomes
         * orphaned (the shell that started this harness exits) gets SIGHUP from the kernel, and a
         * JVM exits on it with 128 + 1.
         */
        static String exitNote(int status) {
            return status == 129
                    ? " with status 129 (SIGHUP: this harness's process group was orphaned while the fork was stopped;"
                            + " start the harness with setsid nohup when it runs in the background)"
                    : " with status " + status;
        }

        @Override
        public void close() {
            try {
                if (host.process().isAlive()) {
                    signal("CONT");
                }
            } catch (Exception ignored) {
                // the host is being closed anyway
            }
            host.close();
        }
    }

    /**
     * "met" or "**missed**" when the median ratio's interval lies at or above, or below, the target;
     * otherwise "met by the median (...)" or "within noise": these rounds cannot tell.
     */
    static String verdict(Result c) {
        if (!c.saturated()) {
            return "not measured (executor kept up: offer more renewals)";
        }
        int rounds = Math.min(c.plain.size(), c.agent.size());
        if (rounds < 2) {
            return c.medianRatio() >= TARGET ? "met" : "not resolvable with 1 round";
        }
        Stats.Interval i = c.ratioInterval();
        if (i.lo() >= TARGET) {
            return "met";
        }
        if (i.hi() < TARGET) {
            return "**missed**";
        }
        return c.medianRatio() >= TARGET ? "met by the median (within noise: the interval spans the target)" : "within noise";
    }

    static String report(List<Result> results, Settings s, boolean smoke) {
        if (results.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder("## 4. Fleet scale\n\n### 4a. Heartbeat capacity with and without the agent (target ≥ ")
                .append(Stats.fmt("%.2f", TARGET)).append(" × without)\n\n");
        if (smoke) {
            sb.append("> SMOKE: ").append(s.rounds).append(" round(s) of ").append(s.windowS)
              .append(" s windows. A few seconds on a shared machine cannot resolve a capacity difference of a few per cent:"
                      + " these figures only prove the comparison runs; run FleetScale without --smoke for figures.\n\n");
        }
        sb.append(String.format(Locale.ROOT,
                "Host: `BenchHost serve %d` with only the heartbeat population, %,d agents on one `EtcdAgentRegistryClient`, period %d ms, "
                + "so **%,.0f renewals/s offered**, far above what the executor completes: renewals run back to back and the rate "
                + "the etcd stand-in receives is the executor's capacity (× the engine's 10 s period = the agents it can keep registered). "
                + "Each round: two fresh JVMs, one without and one with `-javaagent` (JVM arguments of both: `%s`; the renewals' request timeout is raised from the engine's 5 s so that a renewal in flight when its fork is stopped does not time out on resume, see docs/benchmarks.md), started in alternating "
                + "order (round 1 plain first) and warmed up one at a time while the other is stopped (SIGSTOP): agents registered as in "
                + "section 4b (`-Dbench.populate.direct=true`), then at least %d s settling (the first renewals fall due one period after "
                + "registering)%s. Then %d windows of %d s per fork, alternating ABBA between the two warm forks, each fork resumed "
                + "(SIGCONT) only for its own windows and %.1f s before each; renewals completed = etcd puts received by the in-process "
                + "stand-in; the agent fork's /metrics read before and after (renewals recorded), the first read before the settling, so that the JIT work of a first scrape is over before the windows (the plain fork has no such work). No JFR in these forks. "
                + "Why: with forks run one after the other, the two windows of a round were 30-60 s apart (each fork populates, settles and waits for its JIT first), and what else ran on the machine changed in between; "
                + "interleaved windows put both variants under the same conditions within seconds.\n\n",
                s.agents, s.agents, s.periodMs, s.offered(),
                String.join(" ", hostJvmArgs(s, "<single|pool>", 2)), s.settleS,
                s.jitCapS > 0 ? String.format(Locale.ROOT, " and until the JIT is quiet (compiler threads ≤ %d clock ticks of CPU in %d s, at most %d s more:"
                        + " on a loaded machine JIT warm-up lasts tens of seconds and takes CPU from the executor, more in the agent fork,"
                        + " see docs/benchmarks.md; \"settled s\" below, * = cap reached)", FleetScale.JIT_QUIET_TICKS, FleetScale.JIT_QUIET_S, s.jitCapS) : "",
                s.windows, s.windowS, PausedFork.RESUME_S));
        if (Variant.emptyAgentInYawl()) {
            sb.append("**Any-agent cost**: the agent fork runs `-javaagent:benchmarks.jar`, an agent whose premain does nothing"
                    + " (`-Dbench.yawl.javaagent=empty`), instead of ours, so the ratio is what having any `-javaagent` costs the JVM;"
                    + " \"agent\" below means that empty agent, and its renewals are counted at the etcd stand-in only.\n\n");
        }
        if (Variant.emptyAgentInPlain()) {
            sb.append("**JVMTI baseline**: the plain fork runs with `-javaagent:benchmarks.jar`, an agent whose premain does nothing"
                    + " (`-Dbench.plain.javaagent=empty`), so both forks pay the JVM's cost of having an agent and the ratio is the"
                    + " agent's own work.\n\n");
        }
        if (Variant.ourAgentInPlain()) {
            sb.append("**A/B of our agent**: the plain fork runs our agent too (`-Dbench.plain.javaagent=ours`): ")
              .append(Variant.baselineDescription()).append(", against ").append(Variant.agentDescription())
              .append(" in the agent fork; \"plain\" below means that baseline.\n\n");
        }
        if (s.emptyFork) {
            sb.append("**Three forks per round** (`--capacity-empty-fork true`): a plain JVM, the empty agent (`-javaagent:benchmarks.jar`,"
                    + " whose premain does nothing) and ours, warmed up in one of all six orders in turn and their windows alternating"
                    + " ABCCBA, so that what any `-javaagent` costs (empty / plain) and what our agent adds to it (agent / empty) come"
                    + " from the same hour as agent / plain. Every fork waits stopped through two others' starts, so the renewals'"
                    + " request timeout is raised accordingly. The columns without \"empty\" and the verdict are as in a two-fork run;"
                    + " the CPU table by thread group compares plain and agent only.\n\n");
        }
        List<String> agentJvmArgs = Forks.agentJvmArgs();
        if (!agentJvmArgs.isEmpty()) {
            sb.append("**JVM arguments of the forks with an agent only** (`-Dbench.agent.jvmargs`): `").append(String.join(" ", agentJvmArgs))
              .append("`, next to their `-javaagent` and in no fork without one, as an operator would add them to JAVA_OPTS"
                      + " with the agent: the ratios then price the agent together with these arguments.\n\n");
        }
        for (Result c : results) {
            boolean three = !c.empty.isEmpty();
            sb.append("**").append(c.shape.title).append("**\n\n");
            sb.append("| round | order | plain renewals/s | agent renewals/s | agent / plain | per window pair |")
              .append(three ? " empty agent renewals/s | empty / plain | agent / empty |" : "")
              .append(three ? " CPU µs per renewal plain / empty / agent |" : " CPU µs per renewal plain / agent |")
              .append(" of it JIT plain / agent | settled s plain / agent | load avg before → after |\n");
            sb.append("|---|---|---|---|---|---|").append(three ? "---|---|---|" : "").append("---|---|---|---|\n");
            List<Double> ratios = Stats.ratios(c.plain, c.agent);
            for (int r = 0; r < ratios.size(); r++) {
                sb.append("| ").append(r + 1).append(" | ").append(c.order.get(r))
                  .append(" | ").append(Stats.fmt("%,.0f", c.plain.get(r)))
                  .append(" | ").append(Stats.fmt("%,.0f", c.agent.get(r)))
                  .append(" | ").append(Stats.fmt("%.3f", ratios.get(r)))
                  .append(" | ").append(fmtRatios(c.windowRatios.get(r)));
                if (three) {
                    sb.append(" | ").append(Stats.fmt("%,.0f", c.empty.get(r)))
                      .append(" | ").append(Stats.fmt("%.3f", c.empty.get(r) / c.plain.get(r)))
                      .append(" | ").append(Stats.fmt("%.3f", c.agent.get(r) / c.empty.get(r)));
                }
                sb.append(" | ").append(Stats.fmt("%,.0f", c.plainCpuUs.get(r)))
                  .append(three ? " / " + Stats.fmt("%,.0f", c.emptyCpuUs.get(r)) : "")
                  .append(" / ").append(Stats.fmt("%,.0f", c.agentCpuUs.get(r)))
                  .append(" | ").append(Stats.fmt("%.1f", jitUs(c.plainCpuByGroup.get(r)))).append(" / ").append(Stats.fmt("%.1f", jitUs(c.agentCpuByGroup.get(r))))
                  .append(" | ").append(c.settled.get(r))
                  .append(" | ").append(c.load.get(r)).append(" |\n");
            }
            Stats p = new Stats(c.plain);
            Stats a = new Stats(c.agent);
            sb.append("\n- agent / plain, median of ").append(ratios.size()).append(" paired rounds: **")
              .append(new Stats(ratios).summary("%.3f")).append("** → target ≥ ").append(Stats.fmt("%.2f", TARGET))
              .append(": ").append(verdict(c)).append("\n");
            if (ratios.size() >= 2) {
                sb.append("- interval of the median ratio (distribution-free: the sign test inverted over the rounds' order statistics): ")
                  .append(c.ratioInterval().describe("%.3f")).append("\n");
            }
            List<Double> pairs = c.windowRatios.stream().flatMap(List::stream).toList();
            sb.append("- agent / plain over all ").append(pairs.size()).append(" window pairs: ")
              .append(new Stats(pairs).summary("%.3f")).append("\n");
            sb.append("- spread (max − min over a variant's forks, / its median): plain ")
              .append(Stats.fmt("%.1f %%", 100 * (p.max() - p.min()) / p.median())).append(", agent ")
              .append(Stats.fmt("%.1f %%", 100 * (a.max() - a.min()) / a.median())).append("\n");
            sb.append("- difference: ").append(noise(c)).append("\n");
            if (three) {
                sb.append("- empty / plain (what any `-javaagent` costs): ").append(pair(c.plain, c.empty, "the empty-agent fork")).append("\n");
                sb.append("- agent / empty (what our agent adds to it): ").append(pair(c.empty, c.agent, "the agent fork")).append("\n");
            }
            sb.append("\n");
            sb.append(cpuByGroup(c));
        }
        return sb.toString();
    }

    /** Groups below this many µs per renewal in both variants are summed into one row. */
    static final double GROUP_ROW_MIN_US = 2.0;

    /**
     * Where each fork's CPU went during its windows, per renewal and thread group, median over the
     * rounds: which threads the agent fork spends its extra CPU on (or not).
     */
    static String cpuByGroup(Result c) {
        if (c.plainCpuByGroup.stream().allMatch(Map::isEmpty)) {
            return "";
        }
        TreeSet<String> groups = new TreeSet<>();
        c.plainCpuByGroup.forEach(m -> groups.addAll(m.keySet()));
        c.agentCpuByGroup.forEach(m -> groups.addAll(m.keySet()));
        Map<String, double[]> rows = new LinkedHashMap<>();
        double[] rest = new double[2];
        for (String g : groups) {
            double p = new Stats(c.plainCpuByGroup.stream().map(m -> m.getOrDefault(g, 0.0)).toList()).median();
            double a = new Stats(c.agentCpuByGroup.stream().map(m -> m.getOrDefault(g, 0.0)).toList()).median();
            if (Math.max(p, a) >= GROUP_ROW_MIN_US) {
                rows.put(g, new double[] {p, a});
            } else {
                rest[0] += p;
                rest[1] += a;
            }
        }
        StringBuilder sb = new StringBuilder("CPU µs per renewal by thread group during the windows (median over the rounds; "
                + "threads grouped by kernel name with digits as N, read from /proc/PID/task):\n\n"
                + "| thread group | plain | agent | agent − plain | agent − plain per round | sign over the rounds |\n|---|---|---|---|---|---|\n");
        rows.entrySet().stream().sorted((x, y) -> Double.compare(y.getValue()[0], x.getValue()[0])).forEach(e -> {
            List<Double> p = c.plainCpuByGroup.stream().map(m -> m.getOrDefault(e.getKey(), 0.0)).toList();
            List<Double> a = c.agentCpuByGroup.stream().map(m -> m.getOrDefault(e.getKey(), 0.0)).toList();
            List<Double> d = Stats.perRound(p, a);
            long higher = d.stream().filter(x -> x > 0).count();
            sb.append("| `").append(e.getKey()).append("` | ").append(Stats.fmt("%.1f", e.getValue()[0])).append(" | ")
              .append(Stats.fmt("%.1f", e.getValue()[1])).append(" | ").append(Stats.fmt("%+.1f", e.getValue()[1] - e.getValue()[0]))
              .append(" | ").append(d.stream().map(x -> Stats.fmt("%+.1f", x)).collect(java.util.stream.Collectors.joining(", ")))
              .append(" | agent higher in ").append(higher).append(" of ").append(d.size())
              .append(Stats.signTestResolves(p, a, CONFIDENCE) ? " (resolved)" : "").append(" |\n");
        });
        sb.append("| all others (each < ").append(Stats.fmt("%.0f", GROUP_ROW_MIN_US)).append(" µs) | ").append(Stats.fmt("%.1f", rest[0]))
          .append(" | ").append(Stats.fmt("%.1f", rest[1])).append(" | ").append(Stats.fmt("%+.1f", rest[1] - rest[0])).append(" | | |\n\n");
        if (c.heartbeatOff) {
            sb.append("The agent fork ran with its heartbeat instrumentation off (`heartbeat.enabled=false` in -Dbench.yawl.args):"
                    + " an ablation, renewals counted at the etcd stand-in only.\n\n");
        }
        return sb.toString();
    }

    /** The paired sign test in words. */
    static String noise(Result c) {
        int rounds = Math.min(c.plain.size(), c.agent.size());
        if (rounds < 2) {
            return "1 round: not resolvable (the fork-to-fork noise is not measured)";
        }
        String chance = Stats.fmt("%.1f %%", 100 * Math.pow(2, 1 - rounds));
        long slowerRounds = Stats.perRound(c.plain, c.agent).stream().filter(d -> d < 0).count();
        String interval = c.ratioInterval().describe("%.3f");
        if (!c.resolved()) {
            return "**within noise**: the median ratio's interval " + interval + " holds 1 (paired sign test over " + rounds
                    + " rounds; the agent fork slower in " + slowerRounds + ")";
        }
        boolean slower = c.ratioInterval().hi() < 1;
        long agreeing = slower ? slowerRounds : rounds - slowerRounds;
        if (agreeing == rounds) {
            return "resolved: the agent fork was " + (slower ? "slower" : "faster") + " in all " + rounds
                    + " rounds (by chance alone: " + chance + ")";
        }
        return "resolved: the agent fork was " + (slower ? "slower" : "faster") + " in " + agreeing + " of " + rounds
                + " rounds, and the median ratio's interval " + interval + " does not hold 1 (paired sign test)";
    }

    /** A paired comparison of two forks in a few words: the median ratio test / base, its interval and the sign test's verdict. */
    static String pair(List<Double> base, List<Double> test, String testFork) {
        List<Double> ratios = Stats.ratios(base, test);
        StringBuilder sb = new StringBuilder("median of ").append(ratios.size()).append(" paired rounds **")
                .append(new Stats(ratios).summary("%.3f")).append("**");
        if (ratios.size() < 2) {
            return sb.append(", 1 round: not resolvable").toString();
        }
        long slower = Stats.perRound(base, test).stream().filter(d -> d < 0).count();
        return sb.append(", interval ").append(new Stats(ratios).medianInterval(CONFIDENCE).describe("%.3f")).append(": ")
                .append(Stats.signTestResolves(base, test, CONFIDENCE) ? "resolved" : "within noise")
                .append(" (").append(testFork).append(" slower in ").append(slower).append(" of ").append(ratios.size()).append(")")
                .toString();
    }

    /** One line for the console (bench/run.sh shows the step's last lines). */
    static String summaryLine(Result c, boolean smoke) {
        List<Double> ratios = Stats.ratios(c.plain, c.agent);
        return String.format(Locale.ROOT, "capacity %-6s plain %,.0f/s, agent %,.0f/s, agent/plain %s over %d round(s)%s: %s%s",
                c.shape.property, new Stats(c.plain).median(), new Stats(c.agent).median(), new Stats(ratios).summary("%.3f"),
                ratios.size(), ratios.size() < 2 ? "" : ", median's interval " + c.ratioInterval().describe("%.3f"),
                ratios.size() < 2 ? "not resolvable" : c.resolved() ? "difference resolved" : "difference within noise",
                smoke ? " (SMOKE: a few seconds on a shared machine cannot resolve capacity; not a figure)"
                        : "; target ≥ " + Stats.fmt("%.2f", TARGET) + ": " + verdict(c).replace("*", ""))
                + (c.empty.isEmpty() ? "" : "; empty/plain " + pair(c.plain, c.empty, "empty").replace("*", "")
                        + "; agent/empty " + pair(c.empty, c.agent, "agent").replace("*", ""));
    }
}
