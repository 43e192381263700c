package dev.yawlmetrics.it.attach;

import dev.yawlmetrics.testsupport.AgentJvm;

import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@code java -jar yawl-metrics-agent.jar <args>} the way an operator would, with the given JDK. */
record Cli(int exit, String out, String err) {

    static Cli runWith(String javaHome, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(javaHome, "bin", "java").toString());
        cmd.add("-jar");
        cmd.add(AgentJvm.agentJar().toString());
        cmd.addAll(List.of(args));
        return exec(cmd);
    }

    /** As another user: {@code runuser -u USER -- java -jar JAR args} (the caller must be root). */
    static Cli runAs(String runuser, String user, java.nio.file.Path jar, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(runuser, "-u", user, "--",
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
        cmd.addAll(List.of(args));
        return exec(cmd);
    }

    private static Cli exec(List<String> cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().keySet().removeIf(k -> k.startsWith("YAWL_") || k.equals("JAVA_TOOL_OPTIONS") || k.equals("JDK_JAVA_OPTIONS"));
        Process p = pb.start();
        p.getOutputStream().close();
        // small outputs: read after exit is safe, but read concurrently anyway to never block the child
        var out = new java.util.concurrent.CompletableFuture<String>();
        var err = new java.util.concurrent.CompletableFuture<String>();
        Thread.ofPlatform().daemon().start(() -> out.complete(read(p.getInputStream())));
        Thread.ofPlatform().daemon().start(() -> err.complete(read(p.getErrorStream())));
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("CLI did not finish: " + cmd);
        }
        return new Cli(p.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
    }

    static Cli run(String... args) throws Exception {
        return runWith(System.getProperty("java.home"), args);
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    /** The port of "attached to pid N: metrics at http://host:port/path". */
    int port() {
        var m = java.util.regex.Pattern.compile("metrics at http://[^:]+:(\\d+)/").matcher(out);
        if (!m.find()) {
            throw new AssertionError("no metrics URL in: " + this);
        }
        return Integer.parseInt(m.group(1));
    }

    @Override
    public String toString() {
        return "exit=" + exit + "\nstdout:\n" + out + "\nstderr:\n" + err;
    }
}
