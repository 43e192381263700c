package dev.yawlmetrics.testsupport;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A forked JVM running a fixture host with the built agent jar attached, as an operator would
 * run the engine. Collects stdout/stderr, talks to the host's command loop and scrapes the
 * agent's real endpoint over HTTP.
 */
public final class AgentJvm implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("metrics endpoint listening on https?://([^:/]+):(\\d+)(/\\S*)");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Process process;
    private final BufferedWriter stdin;
    private final BlockingQueue<String> stdoutLines = new LinkedBlockingQueue<>();
    private final List<String> stdout = new CopyOnWriteArrayList<>();
    private final List<String> stderr = new CopyOnWriteArrayList<>();
    private volatile int port = -1;
    private volatile String metricsPath = "/metrics";

    private AgentJvm(Process process) {
        this.process = process;
        this.stdin = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        pump(process.getInputStream(), line -> {
            stdout.add(line);
            stdoutLines.add(line);
        }, "stdout");
        pump(process.getErrorStream(), line -> {
            stderr.add(line);
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                metricsPath = m.group(3);
                port = Integer.parseInt(m.group(2));
            }
        }, "stderr");
    }

    public static Builder builder(Class<?> mainClass) {
        return new Builder(mainClass.getName());
    }

    public static Builder builder(String mainClass) {
        return new Builder(mainClass);
    }

    public static Path agentJar() {
        Path jar = Paths.get(System.getProperty("agent.jar", "../agent/target/yawl-metrics-agent.jar")).toAbsolutePath().normalize();
        if (!jar.toFile().isFile()) {
            throw new IllegalStateException("agent jar not built: " + jar + " (run mvn verify from the top)");
        }
        return jar;
    }

    public static Path fixtureClasses() {
        return Paths.get(System.getProperty("fixtures.classes", "target/classes")).toAbsolutePath();
    }

    /**
     * The forked engine's class path: the fixtures plus this module's classes, because the
     * fixture hosts take their loopback ports from {@link FreePorts}. Nothing else from the test
     * class path leaks into the engine JVM.
     */
    public static String hostClassPath() {
        try {
            Path support = Paths.get(FreePorts.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return fixtureClasses() + java.io.File.pathSeparator + support;
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static final class Builder {
        private final String mainClass;
        private final List<String> jvmArgs = new ArrayList<>();
        private final Map<String, String> env = new LinkedHashMap<>();
        private final List<String> programArgs = new ArrayList<>();
        private String agentArgs = "port=0,host=127.0.0.1";
        private boolean withAgent = true;
        private String javaHome = System.getProperty("java.home");
        private String classPath = hostClassPath();

        private Builder(String mainClass) {
            this.mainClass = mainClass;
        }

        /** Replaces the default "port=0,host=127.0.0.1"; null attaches the agent without arguments. */
        public Builder agentArgs(String args) { this.agentArgs = args; return this; }

        public Builder withoutAgent() { this.withAgent = false; return this; }

        public Builder jvmArg(String arg) { jvmArgs.add(arg); return this; }

        public Builder sysProp(String key, String value) { jvmArgs.add("-D" + key + "=" + value); return this; }

        public Builder env(String key, String value) { env.put(key, value); return this; }

        public Builder args(String... args) { programArgs.addAll(List.of(args)); return this; }

        public Builder javaHome(String home) { this.javaHome = home; return this; }

        public Builder classPath(String cp) { this.classPath = cp; return this; }

        public List<String> command() {
            List<String> cmd = new ArrayList<>();
            cmd.add(Paths.get(javaHome, "bin", "java").toString());
            cmd.add("-Xshare:auto");
            if (withAgent) {
                cmd.add("-javaagent:" + agentJar() + (agentArgs == null ? "" : "=" + agentArgs));
            }
            cmd.addAll(jvmArgs);
            if (classPath != null) {
                cmd.add("-cp");
                cmd.add(classPath);
            }
            cmd.add(mainClass);
            cmd.addAll(programArgs);
            return cmd;
        }

        public AgentJvm start() throws IOException {
            return start(command());
        }

        /**
         * Starts the JVM through {@code sh -c script}, for arguments Java cannot pass itself: a parent
         * JVM in the C locale turns every non-ASCII character of a child's argument into '?', while
         * the shell can write raw bytes ({@code $(printf '\360\237\232\200')}). The script gets
         * {@code $0} = java, {@code $1} = the agent jar, {@code $2} = the class path, {@code $3} = the
         * main class; the builder's environment applies; its agent and JVM arguments do not.
         */
        public AgentJvm startThroughShell(String script) throws IOException {
            return start(List.of("sh", "-c", script, Paths.get(javaHome, "bin", "java").toString(), agentJar().toString(),
                    classPath, mainClass));
        }

        private AgentJvm start(List<String> command) throws IOException {
            ProcessBuilder pb = new ProcessBuilder(command);
            pb.environment().keySet().removeIf(k -> k.startsWith("YAWL_") || k.equals("JAVA_TOOL_OPTIONS") || k.equals("JDK_JAVA_OPTIONS"));
            pb.environment().putAll(env);
            return new AgentJvm(pb.start());
        }
    }

    private static void pump(java.io.InputStream in, java.util.function.Consumer<String> sink, String name) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    sink.accept(line);
                }
            } catch (IOException ignored) {
                // process ended
            }
        }, "agent-jvm-" + name);
        t.setDaemon(true);
        t.start();
    }

    /** Waits for the host's "HOST READY" line and the agent's endpoint line. */
    public AgentJvm awaitReady() throws Exception {
        awaitStdout(l -> l.equals("HOST READY"), Duration.ofSeconds(60));
        awaitEndpoint();
        return this;
    }

    public int awaitEndpoint() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (port < 0) {
            if (System.nanoTime() > deadline || !process.isAlive()) {
                throw new AssertionError("agent endpoint never came up; stderr:\n" + String.join("\n", stderr));
            }
            Thread.sleep(20);
        }
        return port;
    }

    public String awaitStdout(Predicate<String> match, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            String line = stdoutLines.poll(Math.max(1, left), TimeUnit.NANOSECONDS);
            if (line != null && match.test(line)) {
                return line;
            }
            if (line == null && System.nanoTime() >= deadline) {
                throw new AssertionError("timed out waiting for output; stdout:\n" + String.join("\n", stdout)
                        + "\nstderr:\n" + String.join("\n", stderr));
            }
        }
    }

    /** Sends one command to the host's command loop and returns its answer after "OK ". */
    public String command(String line) throws Exception {
        return command(line, Duration.ofSeconds(120));
    }

    public String command(String line, Duration timeout) throws Exception {
        stdin.write(line);
        stdin.newLine();
        stdin.flush();
        String answer = awaitStdout(l -> l.startsWith("OK") || l.startsWith("ERR"), timeout);
        if (answer.startsWith("ERR")) {
            throw new AssertionError("host answered " + answer + " to '" + line + "'; stderr:\n" + String.join("\n", stderr));
        }
        return answer.length() > 3 ? answer.substring(3) : "";
    }

    public int port() { return port; }

    public String metricsPath() { return metricsPath; }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /**
     * Scrapes until {@code state} holds, and returns that scrape. The state must name every value
     * the caller goes on to assert: counters and gauges recorded by different threads (or in two
     * steps of one call) move one after the other, so a scrape taken the moment one of them
     * arrives can still miss another.
     */
    public Scrape scrapeUntil(String what, Duration timeout, java.util.function.Predicate<Scrape> state) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Scrape s = scrape();
        AssertionError notYet = null;
        while (true) {
            try {
                if (state.test(s)) {
                    return s;
                }
                notYet = null;
            } catch (AssertionError e) {
                // A meter the condition reads does not exist yet (meters appear with their first
                // recording): the state is not reached yet, it is not a failure.
                notYet = e;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what
                        + (notYet == null ? "" : " (last check: " + notYet.getMessage().lines().findFirst().orElse("") + ")")
                        + "; last scrape:\n" + s.text() + "\n" + describe());
            }
            Thread.sleep(50);
            s = scrape();
        }
    }

    public Scrape scrape() throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri(metricsPath)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new AssertionError("scrape answered " + r.statusCode() + ": " + r.body());
        }
        return Scrape.parse(r.body());
    }

    public HttpResponse<byte[]> request(String method, String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody());
        headers.forEach(b::header);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    public List<String> stderr() { return List.copyOf(stderr); }

    public List<String> stdout() { return List.copyOf(stdout); }

    /**
     * Whether the agent logs a line matching {@code match} within 10 s. stderr is read on its own
     * thread, so a line the agent wrote before answering a command may arrive after the answer.
     */
    public boolean agentLogShows(Predicate<String> match) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        do {
            if (agentLog().stream().anyMatch(match)) {
                return true;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        } while (System.nanoTime() < deadline);
        return agentLog().stream().anyMatch(match);
    }

    public List<String> agentLog() {
        List<String> out = new ArrayList<>();
        for (String l : stderr) {
            if (l.startsWith("[yawl-metrics-agent]")) {
                out.add(l);
            }
        }
        return out;
    }

    public Process process() { return process; }

    /** Ends the host's command loop; returns whether the JVM exited within the timeout. */
    public boolean exitAndWait(Duration timeout) throws Exception {
        try {
            stdin.write("exit");
            stdin.newLine();
            stdin.flush();
        } catch (IOException ignored) {
            // already gone
        }
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public String describe() {
        return "stdout:\n" + String.join("\n", stdout) + "\nstderr:\n" + String.join("\n", stderr);
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static String classPathOf(File... entries) {
        StringBuilder sb = new StringBuilder();
        for (File f : entries) {
            if (sb.length() > 0) {
                sb.append(File.pathSeparator);
            }
            sb.append(f.getAbsolutePath());
        }
        return sb.toString();
    }
}
