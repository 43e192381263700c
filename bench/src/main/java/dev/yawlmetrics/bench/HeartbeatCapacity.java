package dev.yawlmetrics.bench;

import dev.yawlmetrics.bench.harness.Forks;
import dev.yawlmetrics.bench.harness.Stats;
import dev.yawlmetrics.bench.harness.Variant;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Heartbeat capacity with and without the agent (issue 14): the renewals per second one heartbeat
 * executor completes when more are offered than it can run, which is the engine's capacity in
 * registered agents (capacity x period). Paired rounds in alternating order (round 1 plain
 * first, round 2 agent first, ...), each fork a fresh JVM with identical JVM arguments except
 * {@code -javaagent}; per round the ratio agent / plain; the median ratio with its min-max, each
 * variant's spread, and a paired sign test (as the per-call step): the difference is resolved only
 * when every round agrees on its sign.
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
        String heap;
        List<Shape> shapes = new ArrayList<>();

        static Settings from(String[] args, boolean smoke) {
            Settings s = new Settings();
            s.rounds = Integer.parseInt(Forks.option(args, "--capacity-rounds", smoke ? "1" : "5"));
            s.agents = Integer.parseInt(Forks.option(args, "--capacity-agents", smoke ? "10000" : "50000"));
            s.periodMs = Long.parseLong(Forks.option(args, "--capacity-period-ms", smoke ? "1000" : "2000"));
            s.settleS = Integer.parseInt(Forks.option(args, "--capacity-settle-s", smoke ? "2" : "8"));
            s.jitCapS = Integer.parseInt(Forks.option(args, "--capacity-jit-cap-s", smoke ? "0" : "60"));
            s.windowS = Integer.parseInt(Forks.option(args, "--capacity-window-s", smoke ? "2" : "12"));
            s.heap = Forks.option(args, "--capacity-heap", smoke ? "512m" : "2g");
            for (String shape : Forks.option(args, "--capacity-executors", smoke ? "single" : "single,pool").split(",")) {
                if (!shape.isBlank()) {
                    s.shapes.add(Shape.valueOf(shape.trim().toUpperCase(Locale.ROOT)));
                }
            }
            if (s.rounds < 1 || (long) s.settleS * 1000 <= s.periodMs) {
                throw new IllegalArgumentException("--capacity-rounds >= 1 and --capacity-settle-s longer than the period"
                        + " (the first renewals fall due one period after registering)");
            }
            return s;
        }

        double offered() {
            return agents * 1000.0 / periodMs;
        }
    }

    /** One executor shape's rounds; index r of each list is round r. */
    static final class Result {
        final Shape shape;
        final List<Double> plain = new ArrayList<>();
        final List<Double> agent = new ArrayList<>();
        final List<Double> plainCpuUs = new ArrayList<>();
        final List<Double> agentCpuUs = new ArrayList<>();
        final List<Boolean> plainFirst = new ArrayList<>();
        final List<String> load = new ArrayList<>();
        /** Per round "plain s / agent s" from READY to the window, "*" where the JIT never got quiet. */
        final List<String> settled = new ArrayList<>();
        double offered;

        Result(Shape shape) {
            this.shape = shape;
        }

        double medianRatio() {
            return new Stats(Stats.ratios(plain, agent)).median();
        }

        boolean resolved() {
            return Stats.signsAgree(plain, agent);
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
        List<String> jvmArgs = FleetScale.hostJvmArgs(s.heap, shape.property, s.periodMs, populateThreads, true);
        for (int r = 0; r < s.rounds; r++) {
            boolean plainFirst = r % 2 == 0;
            result.plainFirst.add(plainFirst);
            String loadBefore = FleetScale.loadAverage();
            String[] settled = new String[2];
            for (Variant v : plainFirst ? List.of(Variant.PLAIN, Variant.YAWL) : List.of(Variant.YAWL, Variant.PLAIN)) {
                int port = Forks.freePort();
                List<String> cmd = Forks.hostCommand(v, port, jvmArgs, "serve", Integer.toString(s.agents));
                System.out.printf(Locale.ROOT, "[fleet] capacity %s round %d/%d: %s%n", shape.property, r + 1, s.rounds, v.title);
                // Scraped at both ends of the window only (proves the agent recorded the renewals);
                // Prometheus at 15 s would scrape about once in it.
                FleetScale.Run run;
                try {
                    run = FleetScale.fork(v, cmd, port, s.agents, s.settleS, s.jitCapS, s.windowS, s.windowS + 1, 180_000, failures);
                } catch (IllegalStateException e) {
                    // Seen once at load average ~48: the stand-in's first puts timed out (5 s) while
                    // the fresh JVM warmed up, so registering failed. One fresh retry, then give up.
                    System.out.println("[fleet] capacity " + shape.property + " round " + (r + 1) + " " + v.title
                            + ": host failed, retrying once in a fresh JVM: " + e.getMessage().lines().findFirst().orElse(""));
                    port = Forks.freePort();
                    cmd = Forks.hostCommand(v, port, jvmArgs, "serve", Integer.toString(s.agents));
                    run = FleetScale.fork(v, cmd, port, s.agents, s.settleS, s.jitCapS, s.windowS, s.windowS + 1, 180_000, failures);
                }
                settled[v == Variant.PLAIN ? 0 : 1] = Stats.fmt("%.0f", run.settledS) + (run.jitQuiet ? "" : "*");
                double rate = run.putsDelta / run.windowS;
                double cpuUs = run.putsDelta > 0 ? run.cpuS * 1e6 / run.putsDelta : 0;
                (v == Variant.PLAIN ? result.plain : result.agent).add(rate);
                (v == Variant.PLAIN ? result.plainCpuUs : result.agentCpuUs).add(cpuUs);
                System.out.printf(Locale.ROOT, "[fleet] capacity %s round %d %s: %,.0f renewals/s, %,.0f µs CPU per renewal, window after %.0f s%s%n",
                        shape.property, r + 1, v.title, rate, cpuUs, run.settledS, run.jitQuiet ? "" : " (JIT never quiet)");
            }
            result.load.add(loadBefore + " → " + FleetScale.loadAverage());
            result.settled.add(settled[0] + " / " + settled[1]);
        }
        return result;
    }

    /** "met", "**missed**" (resolved and below target) or "within noise" (below target, not resolved). */
    static String verdict(Result c) {
        if (!c.saturated()) {
            return "not measured (executor kept up: offer more renewals)";
        }
        if (c.medianRatio() >= TARGET) {
            return c.resolved() || Math.min(c.plain.size(), c.agent.size()) < 2 ? "met" : "met by the median (difference within noise)";
        }
        if (Math.min(c.plain.size(), c.agent.size()) < 2) {
            return "not resolvable with 1 round";
        }
        return c.resolved() ? "**missed**" : "within noise";
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
                + "Each round: one fork without and one with `-javaagent`, order alternating (round 1 plain first); JVM arguments of both: `%s`. "
                + "Agents registered as in section 4b (`-Dbench.populate.direct=true`), then at least %d s settling (the first renewals fall due one period "
                + "after registering)%s, then a %d s window; renewals completed = etcd puts received by the in-process stand-in; "
                + "the agent fork's /metrics read at both ends of the window. No JFR in these forks.\n\n",
                s.agents, s.agents, s.periodMs, s.offered(),
                String.join(" ", FleetScale.hostJvmArgs(s.heap, "<single|pool>", s.periodMs, 2, true)), s.settleS,
                s.jitCapS > 0 ? String.format(Locale.ROOT, " and until the JIT is quiet (compiler threads ≤ %d clock ticks of CPU in %d s, at most %d s more:"
                        + " on a loaded machine JIT warm-up lasts tens of seconds and takes CPU from the executor, more in the agent fork,"
                        + " see docs/benchmarks.md; \"settled s\" below, * = cap reached)", FleetScale.JIT_QUIET_TICKS, FleetScale.JIT_QUIET_S, s.jitCapS) : "",
                s.windowS));
        for (Result c : results) {
            sb.append("**").append(c.shape.title).append("**\n\n");
            sb.append("| round | order | plain renewals/s | agent renewals/s | agent / plain | CPU µs per renewal plain / agent | settled s plain / agent | load avg before → after |\n");
            sb.append("|---|---|---|---|---|---|---|---|\n");
            List<Double> ratios = Stats.ratios(c.plain, c.agent);
            for (int r = 0; r < ratios.size(); r++) {
                sb.append("| ").append(r + 1).append(" | ").append(c.plainFirst.get(r) ? "plain first" : "agent first")
                  .append(" | ").append(Stats.fmt("%,.0f", c.plain.get(r)))
                  .append(" | ").append(Stats.fmt("%,.0f", c.agent.get(r)))
                  .append(" | ").append(Stats.fmt("%.3f", ratios.get(r)))
                  .append(" | ").append(Stats.fmt("%,.0f", c.plainCpuUs.get(r))).append(" / ").append(Stats.fmt("%,.0f", c.agentCpuUs.get(r)))
                  .append(" | ").append(c.settled.get(r))
                  .append(" | ").append(c.load.get(r)).append(" |\n");
            }
            Stats p = new Stats(c.plain);
            Stats a = new Stats(c.agent);
            sb.append("\n- agent / plain, median of ").append(ratios.size()).append(" paired rounds: **")
              .append(new Stats(ratios).summary("%.3f")).append("** → target ≥ ").append(Stats.fmt("%.2f", TARGET))
              .append(": ").append(verdict(c)).append("\n");
            sb.append("- spread (max − min over a variant's forks, / its median): plain ")
              .append(Stats.fmt("%.1f %%", 100 * (p.max() - p.min()) / p.median())).append(", agent ")
              .append(Stats.fmt("%.1f %%", 100 * (a.max() - a.min()) / a.median())).append("\n");
            sb.append("- difference: ").append(noise(c)).append("\n\n");
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
        if (!c.resolved()) {
            return "**within noise**: the rounds disagree on its sign (paired sign test over " + rounds + " rounds)";
        }
        boolean slower = Stats.perRound(c.plain, c.agent).get(0) < 0;
        return "resolved: the agent fork was " + (slower ? "slower" : "faster") + " in all " + rounds
                + " rounds (by chance alone: " + chance + ")";
    }

    /** One line for the console (bench/run.sh shows the step's last lines). */
    static String summaryLine(Result c, boolean smoke) {
        List<Double> ratios = Stats.ratios(c.plain, c.agent);
        return String.format(Locale.ROOT, "capacity %-6s plain %,.0f/s, agent %,.0f/s, agent/plain %s over %d round(s): %s%s",
                c.shape.property, new Stats(c.plain).median(), new Stats(c.agent).median(), new Stats(ratios).summary("%.3f"),
                ratios.size(), ratios.size() < 2 ? "not resolvable" : c.resolved() ? "resolved" : "within noise",
                smoke ? " (SMOKE: a few seconds on a shared machine cannot resolve capacity; not a figure)" : ", " + verdict(c).replace("*", ""));
    }
}
