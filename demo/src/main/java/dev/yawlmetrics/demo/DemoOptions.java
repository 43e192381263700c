package dev.yawlmetrics.demo;

import java.util.List;
import java.util.Locale;

/** The demo's command-line flags, validated; a bad flag is one message and exit code 2. */
public record DemoOptions(int agents, int durationSeconds, int port, Scenario scenario, String etcd, boolean prometheus,
                          boolean check, boolean keep, String report, List<String> expectAlerts, List<String> expectQuiet) {

    public enum Scenario {
        STEADY("work comes and goes; the heartbeat executor keeps up with every renewal"),
        SATURATION("the newer engine's single-thread heartbeat executor with etcd " + SATURATION_ETCD_DELAY_MS
                + " ms away: it runs fewer renewals than the fleet needs, so they start later and later"
                + " while every one of them succeeds fast"),
        DROUGHT("the engine runs out of work: agents back off, then recover"),
        ETCD_OUTAGE("etcd goes away mid-run: renewals fail, then recover"),
        SURGE("as many agents again join within 20 s, then leave again");

        final String description;

        Scenario(String description) {
            this.description = description;
        }

        public String id() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        static Scenario parse(String s) {
            for (Scenario v : values()) {
                if (v.id().equals(s)) {
                    return v;
                }
            }
            throw new BadFlag("unknown scenario '" + s + "' (choose steady, saturation, drought, etcd-outage or surge)");
        }
    }

    /** The etcd round trip of the saturation scenario: one thread, ~2.5 ms per renewal, ~400 renewals/s. */
    static final long SATURATION_ETCD_DELAY_MS = 2;

    public static final class BadFlag extends RuntimeException {
        public BadFlag(String message) {
            super(message);
        }
    }

    public static final String USAGE = """
            usage: ./demo.sh [--agents=N] [--duration=SECONDS] [--port=P] [--scenario=NAME] [--etcd=auto|embedded|URL]
                             [--prometheus=auto|off] [--keep] [--report=FILE] [--check]
              --agents=N          agents in the simulated fleet (default 2000, saturation 10000; 1..2000000)
              --duration=S        run for S seconds (default 120; also 90s, 3m; 0 = until Ctrl-C)
              --port=P            agent metrics port (default 9464; 0 = ephemeral)
              --scenario=NAME     steady | saturation | drought | etcd-outage | surge (default steady: a fleet
                                  the executor can serve; saturation: one it cannot, the alerts' case)
              --etcd=MODE         auto (real etcd if on PATH, else embedded), embedded, or a URL of an existing etcd
              --prometheus=MODE   auto (start Prometheus with rules/ if on PATH) or off
              --keep              leave Prometheus running after the run (its URL is printed) to explore the data
              --report=FILE       where to write the HTML report (default demo/target/reports/demo-<scenario>-<time>.html)
              --check             exit non-zero unless the endpoint served every expected metric family and the
                                  report was written (used by CI)
              --expect-alerts=A,B with --check: each of these alerts must have been pending or firing (needs Prometheus)
              --expect-quiet=A,B  with --check: none of these alerts may have been pending or firing
            """;

    public static DemoOptions parse(String[] args) {
        int agents = -1;
        int duration = 120;
        int port = 9464;
        Scenario scenario = Scenario.STEADY;
        String etcd = "auto";
        boolean prometheus = true;
        boolean check = false;
        boolean keep = false;
        String report = null;
        List<String> expectAlerts = List.of();
        List<String> expectQuiet = List.of();
        for (String arg : args) {
            if (arg.equals("--check")) {
                check = true;
                continue;
            }
            if (arg.equals("--keep")) {
                keep = true;
                continue;
            }
            if (arg.equals("-h") || arg.equals("--help")) {
                throw new BadFlag("help");
            }
            int eq = arg.indexOf('=');
            if (!arg.startsWith("--") || eq < 0) {
                throw new BadFlag("unrecognised argument '" + arg + "' (flags look like --agents=1000)");
            }
            String key = arg.substring(2, eq);
            String value = arg.substring(eq + 1);
            switch (key) {
                case "agents" -> agents = intIn(key, value, 1, 2_000_000);
                case "duration" -> duration = seconds(value);
                case "port" -> port = intIn(key, value, 0, 65535);
                case "scenario" -> scenario = Scenario.parse(value);
                case "etcd" -> etcd = etcd(value);
                case "expect-alerts" -> expectAlerts = names(key, value);
                case "expect-quiet" -> expectQuiet = names(key, value);
                case "report" -> {
                    if (value.isBlank()) {
                        throw new BadFlag("--report needs a file name");
                    }
                    report = value;
                }
                case "prometheus" -> prometheus = switch (value) {
                    case "auto" -> true;
                    case "off" -> false;
                    default -> throw new BadFlag("--prometheus must be auto or off, not '" + value + "'");
                };
                default -> throw new BadFlag("unknown flag --" + key);
            }
        }
        if (agents < 0) {
            // A fleet the executor serves (200 renewals/s) unless the point is that it cannot.
            agents = scenario == Scenario.SATURATION ? 10_000 : 2_000;
        }
        return new DemoOptions(agents, duration, port, scenario, etcd, prometheus, check, keep, report, expectAlerts, expectQuiet);
    }

    private static List<String> names(String key, String value) {
        List<String> out = List.of(value.split(","));
        for (String n : out) {
            if (!n.matches("[A-Za-z][A-Za-z0-9_]*")) {
                throw new BadFlag("--" + key + " takes alert names separated by ',', not '" + value + "'");
            }
        }
        return out;
    }

    private static int intIn(String key, String value, int min, int max) {
        long v;
        try {
            v = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new BadFlag("--" + key + " must be a whole number, not '" + value + "'");
        }
        if (v < min || v > max) {
            throw new BadFlag("--" + key + " must be between " + min + " and " + max + ", not " + value);
        }
        return (int) v;
    }

    static int seconds(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        int factor = 1;
        if (v.endsWith("m")) {
            factor = 60;
            v = v.substring(0, v.length() - 1);
        } else if (v.endsWith("s")) {
            v = v.substring(0, v.length() - 1);
        }
        return intIn("duration", v, 0, 86_400 / factor) * factor;
    }

    private static String etcd(String value) {
        if (value.equals("auto") || value.equals("embedded")) {
            return value;
        }
        if (!value.startsWith("http://") && !value.startsWith("https://")) {
            throw new BadFlag("--etcd must be auto, embedded or an http(s):// URL, not '" + value + "'");
        }
        return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
    }
}
