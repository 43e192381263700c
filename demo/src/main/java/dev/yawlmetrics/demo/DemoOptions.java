package dev.yawlmetrics.demo;

import java.util.Locale;

/** The demo's command-line flags, validated; a bad flag is one message and exit code 2. */
public record DemoOptions(int agents, int durationSeconds, int port, Scenario scenario, String etcd, boolean prometheus,
                          boolean check) {

    public enum Scenario {
        STEADY("work comes and goes; renewals succeed"),
        DROUGHT("the engine runs out of work: agents back off, then recover"),
        ETCD_OUTAGE("etcd goes away mid-run: renewals fail, then recover"),
        SURGE("agents join and leave fast");

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
            throw new BadFlag("unknown scenario '" + s + "' (choose steady, drought, etcd-outage or surge)");
        }
    }

    public static final class BadFlag extends RuntimeException {
        public BadFlag(String message) {
            super(message);
        }
    }

    public static final String USAGE = """
            usage: ./demo.sh [--agents=N] [--duration=SECONDS] [--port=P] [--scenario=NAME] [--etcd=auto|embedded|URL]
                             [--prometheus=auto|off] [--check]
              --agents=N          agents in the simulated fleet (default 10000; 1..2000000)
              --duration=S        run for S seconds (default 120; also 90s, 3m; 0 = until Ctrl-C)
              --port=P            agent metrics port (default 9464; 0 = ephemeral)
              --scenario=NAME     steady | drought | etcd-outage | surge (default steady)
              --etcd=MODE         auto (real etcd if on PATH, else embedded), embedded, or a URL of an existing etcd
              --prometheus=MODE   auto (start Prometheus with rules/ if on PATH) or off
              --check             exit non-zero unless the endpoint served every expected metric family (used by CI)
            """;

    public static DemoOptions parse(String[] args) {
        int agents = 10_000;
        int duration = 120;
        int port = 9464;
        Scenario scenario = Scenario.STEADY;
        String etcd = "auto";
        boolean prometheus = true;
        boolean check = false;
        for (String arg : args) {
            if (arg.equals("--check")) {
                check = true;
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
                case "prometheus" -> prometheus = switch (value) {
                    case "auto" -> true;
                    case "off" -> false;
                    default -> throw new BadFlag("--prometheus must be auto or off, not '" + value + "'");
                };
                default -> throw new BadFlag("unknown flag --" + key);
            }
        }
        return new DemoOptions(agents, duration, port, scenario, etcd, prometheus, check);
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
