package dev.yawlmetrics.demo.engines;

import dev.yawlmetrics.testsupport.Scrape;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One engine JVM of a multi-engine fleet: the fleet simulator with the agent attached, tagged with
 * its own {@code pod}, renewing its own share of agents against the shared etcd (through its own
 * link, so one engine's connection can be broken while the others keep theirs).
 */
public final class EngineProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("metrics endpoint listening on http://[^:/]+:(\\d+)(/\\S*)");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String pod;
    private final int agents;
    private final Process process;
    private final BufferedWriter stdin;
    private final List<String> output = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile int port = -1;
    private volatile String path = "/metrics";
    private volatile boolean ready;

    private EngineProcess(String pod, int agents, Process process, Consumer<String> relay) {
        this.pod = pod;
        this.agents = agents;
        this.process = process;
        this.stdin = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        pump(process.getInputStream(), relay);
        pump(process.getErrorStream(), relay);
    }

    /**
     * Starts the simulator in a new JVM.
     *
     * @param java       the java executable
     * @param agentJar   the built agent jar
     * @param classPath  where FleetSimulator and the engine-shaped classes are
     * @param jvmArgs    extra JVM arguments (heap, heartbeat period)
     * @param etcdUrl    this engine's way to etcd
     * @param relay      receives every output line (already prefixed with the pod)
     */
    static EngineProcess start(String pod, int agents, int partyAgents, String java, String agentJar, String classPath,
                               List<String> jvmArgs, String etcdUrl, Consumer<String> relay) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        // Each engine tags its series with its own pod, as a Deployment does from the downward API.
        cmd.add("-javaagent:" + agentJar + "=port=0,host=127.0.0.1,tags=pod=" + pod);
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-cp", classPath, dev.yawlmetrics.demo.FleetSimulator.class.getName(), "--agents=" + agents,
                "--party-agents=" + partyAgents, "--etcd=" + etcdUrl));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().keySet().removeIf(k -> k.startsWith("YAWL_") || k.equals("JAVA_TOOL_OPTIONS") || k.equals("JDK_JAVA_OPTIONS"));
        return new EngineProcess(pod, agents, pb.start(), line -> relay.accept("[" + pod + "] " + line));
    }

    private void pump(InputStream in, Consumer<String> relay) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    output.add(line);
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        path = m.group(2);
                        port = Integer.parseInt(m.group(1));
                    }
                    if (line.equals("HOST READY")) {
                        ready = true;
                    }
                    relay.accept(line);
                }
            } catch (IOException ignored) {
                // the engine ended
            }
        }, "engine-" + pod + "-output");
        t.setDaemon(true);
        t.start();
    }

    /** Waits until the engine registered its agents and the agent's endpoint is up. */
    void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ready || port < 0) {
            if (!process.isAlive()) {
                throw new IllegalStateException(pod + " exited with " + process.exitValue() + ":\n" + String.join("\n", output));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(pod + " not ready within " + timeout + ":\n" + String.join("\n", output));
            }
            Thread.sleep(50);
        }
    }

    public String pod() {
        return pod;
    }

    /** The agents this engine registers (its share of the fleet). */
    public int agents() {
        return agents;
    }

    /** host:port as Prometheus scrapes it. */
    public String target() {
        return "127.0.0.1:" + port;
    }

    public String metricsPath() {
        return path;
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** The engine's own /metrics, read directly: the ground truth Prometheus' figures are checked against. */
    public Scrape scrape() throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + target() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(pod + " /metrics answered " + r.statusCode());
        }
        return Scrape.parse(r.body());
    }

    /** One command to the simulator's command loop (work on|off, surge on|off, status). */
    public synchronized void command(String line) throws IOException {
        stdin.write(line);
        stdin.newLine();
        stdin.flush();
    }

    public List<String> output() {
        return List.copyOf(output);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
