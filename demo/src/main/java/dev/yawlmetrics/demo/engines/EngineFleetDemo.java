package dev.yawlmetrics.demo.engines;

import dev.yawlmetrics.demo.DemoOptions;
import dev.yawlmetrics.demo.RuleFiles;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * {@code ./demo.sh --engines=N}: N engine JVMs, one etcd, one Prometheus discovering them through
 * file_sd ({@link EngineFleet}); prints the fleet's figures as Prometheus computes them next to
 * each engine's own, and at the end the series per engine and in total.
 */
public final class EngineFleetDemo {
    public static final String USAGE = """
            several engines: ./demo.sh --engines=N [--agents=A] [--duration=S] [--scenario=steady|etcd-outage]
                             [--etcd=auto|embedded|URL] [--prometheus=auto|off] [--check]
              --engines=N         N engine JVMs (1..20), each with the agent, its own pod tag (engine-0..) and share of the
                                  agents (engine i gets i+1 shares), one shared etcd, one Prometheus using file_sd_configs
              --agents=A          agents of the whole fleet (default as without --engines)
              --scenario=NAME     steady, or etcd-outage: engine-1's connection to etcd breaks for the middle third
                                  of the run while the other engines keep theirs
              --check             exit non-zero unless every engine serves the same number of series and
                                  Prometheus' fleet live-agent count equals the sum of the engines' own
            """;

    record Options(int engines, int agents, int durationSeconds, boolean outage, String etcd, boolean prometheus, boolean check) {}

    private EngineFleetDemo() {}

    /** True when the command line asks for several engines (the single-engine demo handles the rest). */
    public static boolean wanted(String[] args) {
        return Stream.of(args).anyMatch(a -> a.startsWith("--engines="));
    }

    /**
     * --engines=N plus the single-engine demo's own flags (--agents, --duration, --scenario, --etcd,
     * --prometheus, --check), parsed by {@link DemoOptions} so both demos read them alike.
     */
    static Options parse(String[] args) {
        int engines = 3;
        List<String> rest = new ArrayList<>();
        for (String arg : args) {
            if (arg.startsWith("--engines=")) {
                engines = number(arg.substring("--engines=".length()).trim());
            } else {
                rest.add(arg);
            }
        }
        if (rest.stream().anyMatch(a -> a.startsWith("--port="))) {
            throw new IllegalArgumentException("--port does not apply with --engines (each engine's agent takes an ephemeral port)");
        }
        DemoOptions o;
        try {
            o = DemoOptions.parse(rest.toArray(String[]::new));
        } catch (DemoOptions.BadFlag e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        if (o.keep() || o.report() != null || !o.expectAlerts().isEmpty() || !o.expectQuiet().isEmpty()) {
            throw new IllegalArgumentException("--keep, --report and --expect-* belong to the single-engine demo; with --engines"
                    + " the run prints its report (series per engine and in total) on the console");
        }
        String scenario = o.scenario().id();
        if (!scenario.equals("steady") && !scenario.equals("etcd-outage")) {
            throw new IllegalArgumentException("with --engines, --scenario is steady or etcd-outage, not '" + scenario + "'");
        }
        boolean outage = scenario.equals("etcd-outage");
        if (outage && engines < 2) {
            throw new IllegalArgumentException("--scenario=etcd-outage with --engines needs at least 2 engines (engine-1 loses etcd)");
        }
        int agents = o.agents();
        if (agents < engines * (engines + 1) / 2) {
            throw new IllegalArgumentException(engines + " engines need --agents of at least " + engines * (engines + 1) / 2);
        }
        return new Options(engines, agents, o.durationSeconds(), outage, o.etcd(), o.prometheus(), o.check());
    }

    private static int number(String value) {
        int v;
        try {
            v = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--engines must be a whole number, not '" + value + "'");
        }
        if (v < 1 || v > 20) {
            throw new IllegalArgumentException("--engines must be between 1 and 20, not " + value);
        }
        return v;
    }

    /** Runs the demo; returns the process exit code. */
    public static int run(String[] args, Path root, Path demoJar) {
        Options o;
        try {
            o = parse(args);
        } catch (IllegalArgumentException e) {
            if ("help".equals(e.getMessage())) {
                System.out.print(DemoOptions.USAGE + USAGE);
                return 0;
            }
            System.err.println("demo: " + e.getMessage() + "\n" + USAGE);
            return 2;
        }
        Path agentJar = root.resolve("agent/target/yawl-metrics-agent.jar");
        if (!Files.isRegularFile(agentJar)) {
            System.err.println("demo: agent jar missing at " + agentJar + "; build it with: mvn -B -q -DskipTests package");
            return 2;
        }
        EngineFleet.Settings settings;
        try {
            settings = new EngineFleet.Settings(o.engines(), o.agents(), 50, 10_000, 5, "demo", o.etcd(), o.prometheus(),
                    RuleFiles.of(root.resolve("rules")), agentJar, demoJar.toString(), List.of("-Xss512k", "-XX:+UseZGC"));
        } catch (Exception e) {
            System.err.println("demo: " + e.getMessage());
            return 2;
        }
        say(o.engines() + " engines, " + o.agents() + " agents in total, " + (o.outage() ? "engine-1 loses etcd for the middle third, " : "")
                + (o.durationSeconds() == 0 ? "until Ctrl-C" : o.durationSeconds() + " s"));
        EngineFleet[] holder = new EngineFleet[1];
        Thread cleanup = new Thread(() -> {
            if (holder[0] != null) {
                holder[0].close();
            }
        }, "engines-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try (EngineFleet fleet = EngineFleet.start(settings, EngineFleetDemo::relay)) {
            holder[0] = fleet;
            List<EngineFleet.EngineSeries> atStart = fleet.seriesReport();
            say("series per engine at start:\n" + EngineFleet.formatReport(atStart));
            long start = System.nanoTime();
            boolean cut = false;
            long lastLine = 0;
            while (true) {
                long elapsed = (System.nanoTime() - start) / 1_000_000_000L;
                if (o.outage() && o.durationSeconds() > 0) {
                    boolean shouldCut = elapsed >= o.durationSeconds() / 3 && elapsed < 2L * o.durationSeconds() / 3;
                    if (shouldCut != cut) {
                        fleet.cutEtcd(1, shouldCut);
                        cut = shouldCut;
                        say(">>> " + (cut ? "engine-1's connection to etcd is broken (the other engines keep theirs)" : "engine-1's connection to etcd is back"));
                    }
                }
                if (elapsed / 10 != lastLine) {
                    lastLine = elapsed / 10;
                    System.out.println(progress(elapsed, fleet));
                }
                for (EngineProcess e : fleet.engines()) {
                    if (!e.alive()) {
                        System.err.println("demo: " + e.pod() + " exited unexpectedly");
                        return 1;
                    }
                }
                if (o.durationSeconds() > 0 && elapsed >= o.durationSeconds()) {
                    break;
                }
                Thread.sleep(250);
            }
            List<EngineFleet.EngineSeries> atEnd = fleet.seriesReport();
            say("series per engine at the end (GC-event series left out; agents per engine differ, series do not):\n"
                    + EngineFleet.formatReport(atEnd));
            int rc = o.check() ? check(fleet, atStart) : 0;
            say("done; stopping everything this demo started");
            return rc;
        } catch (Exception e) {
            System.err.println("demo: failed: " + e);
            return 1;
        }
    }

    static String progress(long elapsed, EngineFleet fleet) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "[t=%4ds]", elapsed));
        double sum = 0;
        sb.append(" live agents");
        for (EngineProcess e : fleet.engines()) {
            try {
                double live = e.scrape().sum("yawl_marketplace_live_agents_count");
                sum += live;
                sb.append(String.format(Locale.ROOT, " %s %,.0f", e.pod(), live));
            } catch (Exception ex) {
                sb.append(' ').append(e.pod()).append(" ?");
            }
        }
        sb.append(String.format(Locale.ROOT, " = %,.0f", sum));
        if (fleet.prometheus() != null) {
            try {
                double fleetCount = fleet.scalar("sum(yawl:agent_count:5m)");
                double renewals = fleet.scalar("sum(yawl:heartbeat_throughput_per_sec:rate1m)");
                sb.append(String.format(Locale.ROOT, " | Prometheus: yawl:agent_count:5m %,.0f, renewals %,.0f/s", fleetCount, renewals));
                TreeSet<String> alerts = new TreeSet<>();
                for (Map<String, String> a : fleet.query("ALERTS").keySet()) {
                    alerts.add(a.get("alertname") + (a.containsKey("pod") ? "{pod=" + a.get("pod") + "}" : "") + " " + a.get("alertstate"));
                }
                sb.append(" | alerts: ").append(alerts.isEmpty() ? "none" : String.join(", ", alerts));
            } catch (Exception ex) {
                sb.append(" | Prometheus: ?");
            }
        }
        return sb.toString();
    }

    private static int check(EngineFleet fleet, List<EngineFleet.EngineSeries> atStart) throws Exception {
        List<String> problems = new ArrayList<>();
        if (atStart.stream().map(EngineFleet.EngineSeries::series).distinct().count() != 1) {
            problems.add("engines with different agent counts serve different numbers of series: " + atStart);
        }
        if (fleet.prometheus() != null) {
            double own = 0;
            for (EngineProcess e : fleet.engines()) {
                own += e.scrape().sum("yawl_marketplace_live_agents_count");
            }
            double fleetCount = fleet.scalar("sum(yawl_marketplace_live_agents_count{job=\"" + EngineFleet.JOB + "\"})");
            if (fleetCount != own) {
                problems.add("Prometheus' fleet live-agent count " + fleetCount + " != the engines' own sum " + own);
            }
        }
        if (!problems.isEmpty()) {
            System.err.println("demo --check: " + String.join("; ", problems));
            return 1;
        }
        System.out.println("demo --check: " + atStart.size() + " engines serve " + atStart.get(0).series()
                + " series each; the fleet figures add up");
        return 0;
    }

    private static void relay(String line) {
        boolean agentNews = line.contains("[yawl-metrics-agent]") && (line.contains("WARN") || line.contains("ERROR") || line.contains("listening"));
        if (agentNews || line.contains("[fleet]") || !line.startsWith("[engine")) {
            System.out.println("  " + line);
        }
    }

    private static void say(String line) {
        System.out.println("[demo] " + line);
    }
}
