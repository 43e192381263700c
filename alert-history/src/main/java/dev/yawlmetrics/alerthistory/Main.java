package dev.yawlmetrics.alerthistory;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar alert-history.jar serve ...} runs the Alertmanager webhook receiver;
 * {@code java -jar alert-history.jar checklist ...} runs the design's Part 6 checklists.
 */
public final class Main {
    static final String USAGE = """
            usage:
              java -jar alert-history.jar serve --jdbc JDBC-URL [--db-password-file FILE] [--listen HOST:PORT]
                    [--retention-days 90] [--max-body-bytes 1048576] [--purge-interval-seconds 3600]
              java -jar alert-history.jar checklist --prometheus URL [--alertmanager URL] [--history JDBC-URL]
                    [--db-password-file FILE] [--day1|--24h|--weekly]
            """;

    private Main() {}

    public static void main(String[] args) throws Exception {
        int code = run(args, System.out, System.err);
        if (code >= 0) {
            System.exit(code);
        }
    }

    /** Exit code, or -1 when a server was started and keeps the JVM alive. */
    static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        if (args.length == 0) {
            err.println("no command given: serve or checklist");
            err.print(USAGE);
            return 2;
        }
        Map<String, String> opts;
        try {
            opts = options(Arrays.asList(args).subList(1, args.length));
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.print(USAGE);
            return 2;
        }
        switch (args[0]) {
            case "serve" -> {
                try {
                    serve(opts).start();
                } catch (IllegalArgumentException e) {
                    err.println(e.getMessage());
                    err.print(USAGE);
                    return 2;
                }
                return -1;
            }
            case "checklist" -> {
                return Checklist.run(opts, out, err);
            }
            default -> {
                err.println("unknown command: " + args[0]);
                err.print(USAGE);
                return 2;
            }
        }
    }

    static WebhookServer serve(Map<String, String> o) throws IOException {
        known(o, "jdbc", "db-password-file", "listen", "retention-days", "max-body-bytes", "purge-interval-seconds");
        String jdbc = o.get("jdbc");
        if (jdbc == null || !jdbc.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("--jdbc jdbc:postgresql://HOST:PORT/DB?user=USER is required");
        }
        String listen = o.getOrDefault("listen", "127.0.0.1:9097");
        int colon = listen.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("--listen must be HOST:PORT, not " + listen);
        }
        long days = positive(o, "retention-days", 90);
        int maxBody = (int) Math.min(Integer.MAX_VALUE - 1, positive(o, "max-body-bytes", 1 << 20));
        long purgeEvery = positive(o, "purge-interval-seconds", 3600);
        AlertStore store = new AlertStore(jdbc, password(o), Duration.ofDays(days));
        WebhookServer server = new WebhookServer(new InetSocketAddress(listen.substring(0, colon),
                (int) number(listen.substring(colon + 1), "--listen port")), store, maxBody, purgeEvery);
        log("receiving Alertmanager webhooks on http://" + listen + "/webhook (port " + server.port() + "), retention "
                + days + " days, body limit " + maxBody + " bytes");
        return server;
    }

    /** The password is read from a file (a mounted Secret), never from the command line. */
    static String password(Map<String, String> o) throws IOException {
        String file = o.get("db-password-file");
        return file == null ? null : Files.readString(Path.of(file)).strip();
    }

    static Map<String, String> options(List<String> args) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument: " + a);
            }
            String key = a.substring(2);
            int eq = key.indexOf('=');
            if (eq >= 0) {
                m.put(key.substring(0, eq), key.substring(eq + 1));
            } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
                m.put(key, args.get(++i));
            } else {
                m.put(key, "");
            }
        }
        return m;
    }

    static void known(Map<String, String> o, String... names) {
        List<String> allowed = List.of(names);
        for (String k : o.keySet()) {
            if (!allowed.contains(k)) {
                throw new IllegalArgumentException("unknown option --" + k);
            }
        }
    }

    private static long positive(Map<String, String> o, String key, long dflt) {
        String v = o.get(key);
        if (v == null) {
            return dflt;
        }
        long n = number(v, "--" + key);
        if (n <= 0) {
            throw new IllegalArgumentException("--" + key + " must be positive, not " + v);
        }
        return n;
    }

    private static long number(String v, String what) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " must be a number, not " + v);
        }
    }

    static void log(String message) {
        System.err.println(Instant.now() + " alert-history: " + message);
    }
}
