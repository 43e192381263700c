package dev.yawlmetrics.bench.harness;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/** Helpers to start the benchmark host in a fresh JVM, the way an operator starts the engine. */
public final class Forks {
    private Forks() {}

    public static String java() {
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The class path of this harness (the benchmarks uber-jar): fixtures + host, no agent. */
    public static String classPath() {
        return System.getProperty("java.class.path");
    }

    /** java [jvm args] -cp benchmarks.jar dev.yawlmetrics.bench.fleet.BenchHost hostArgs... */
    public static List<String> hostCommand(Variant v, int port, List<String> extraJvmArgs, String... hostArgs) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java());
        cmd.addAll(extraJvmArgs);
        // -Dbench.host.jvmargs="-agentpath:...": the same extra JVM arguments in every fork (a
        // profiler, a diagnostic flag), so that the variants still differ by the agent only.
        cmd.addAll(words("bench.host.jvmargs"));
        cmd.addAll(v.jvmArgs(port));
        cmd.add("-cp");
        cmd.add(classPath());
        cmd.add("dev.yawlmetrics.bench.fleet.BenchHost");
        cmd.addAll(List.of(hostArgs));
        return cmd;
    }

    /**
     * {@code -Dbench.agent.jvmargs="..."}: JVM arguments for the forks that run a {@code -javaagent}
     * (ours or the empty one) and for no other, as an operator would put them next to the agent in
     * JAVA_OPTS, e.g. a flag that changes what having any agent costs the JVM. The steps that
     * honour it (the capacity comparison, the hand-off step) say so in their reports.
     */
    public static List<String> agentJvmArgs() {
        return words("bench.agent.jvmargs");
    }

    private static List<String> words(String property) {
        List<String> out = new ArrayList<>();
        for (String a : System.getProperty(property, "").trim().split("\\s+")) {
            if (!a.isEmpty()) {
                out.add(a);
            }
        }
        return out;
    }

    public static int freePort() {
        return dev.yawlmetrics.testsupport.FreePorts.next();
    }

    /** One GET without compression; null when nothing answers yet. */
    public static byte[] get(String url) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
            c.setConnectTimeout(2000);
            c.setReadTimeout(30000);
            c.setRequestProperty("Accept-Encoding", "identity");
            try (var in = c.getInputStream()) {
                byte[] body = in.readAllBytes();
                return c.getResponseCode() == 200 ? body : null;
            }
        } catch (IOException e) {
            return null;
        }
    }

    /** Polls the endpoint until it answers 200, or fails after the timeout. */
    public static byte[] awaitEndpoint(String url, Process p, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < deadline) {
            byte[] body = get(url);
            if (body != null) {
                return body;
            }
            if (!p.isAlive()) {
                throw new IllegalStateException("host exited with " + p.exitValue() + " before " + url + " answered");
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException(url + " did not answer within " + timeoutMillis + " ms");
    }

    /** Non-comment, non-empty lines of a text exposition: the number of samples exported. */
    /** Each sample's name and labels (the value cut off), in exposition order. */
    public static java.util.List<String> seriesKeys(byte[] body) {
        java.util.List<String> keys = new java.util.ArrayList<>();
        for (String line : new String(body, java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                int space = line.lastIndexOf(' ');
                keys.add(space > 0 ? line.substring(0, space) : line);
            }
        }
        return keys;
    }

    public static int seriesCount(byte[] body) {
        int n = 0;
        for (String line : new String(body, java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                n++;
            }
        }
        return n;
    }

    public static Path resultsFile(String[] args, String defaultName) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals("--out")) {
                return Paths.get(args[i + 1]);
            }
        }
        return Paths.get("bench/target/results", defaultName);
    }

    public static boolean smoke(String[] args) {
        return List.of(args).contains("--smoke");
    }

    public static String option(String[] args, String name, String dflt) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return dflt;
    }
}
