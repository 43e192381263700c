package dev.yawlmetrics.demo;

import dev.yawlmetrics.testsupport.Scrape;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The README's first command. Starts etcd (real when installed, else the simulator's embedded
 * stand-in), the fleet simulator with the agent attached, and Prometheus with the shipped rules
 * when installed; announces the scenario's timeline and prints one status line every few seconds.
 * Everything it started is stopped on exit or Ctrl-C.
 */
public final class DemoLauncher {
    /** One family per instrumentation, plus the agent's own: what --check requires. */
    static final String[] EXPECTED_FAMILIES = {
        "yawl_metrics_agent_info", "yawl_metrics_agent_instrumentation_applied",
        "yawl_heartbeat_renewal_success_total", "yawl_heartbeat_latency_ms_bucket",
        "yawl_etcd_query_latency_ms_bucket", "yawl_marketplace_query_latency_ms_bucket",
        "yawl_marketplace_live_agents_count", "yawl_agent_state_transitions_total", "yawl_agent_live",
        "yawl_agent_discovery_attempts_total", "yawl_discovery_backoff_sleep_time_ms_bucket",
        "yawl_http_client_requests_sent_total", "jvm_memory_used_bytes", "jvm_threads_live_threads",
    };
    private static final Pattern LISTENING = Pattern.compile("metrics endpoint listening on http://[^:]+:(\\d+)(/\\S*)");
    /** The engine's renewal period (EtcdAgentRegistryClient.HEARTBEAT_INTERVAL_MS); rates use windows at least this long. */
    static final long PERIOD_SECONDS = 10;
    /** GenericPartyAgents the simulator starts for real (the rest of the fleet is registered and listed). */
    static final int PARTY_AGENTS = 200;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final DemoOptions options;
    private final Path root;
    private final List<Process> children = new ArrayList<>();
    private final List<Path> tempDirs = new ArrayList<>();
    private volatile int metricsPort = -1;
    private volatile String metricsPath = "/metrics";
    private Process etcd;
    private List<String> etcdCommand;
    private String etcdUrl;
    private String prometheusUrl;
    private BufferedWriter simulatorIn;
    private Process simulator;
    private Process prometheus;
    private Path prometheusDir;
    private final FailureSummary failures = new FailureSummary();
    private final List<Progress.Tick> ticks = new ArrayList<>();

    private DemoLauncher(DemoOptions options, Path root) {
        this.options = options;
        this.root = root;
    }

    public static void main(String[] args) throws Exception {
        if (dev.yawlmetrics.demo.engines.EngineFleetDemo.wanted(args)) {
            Path self = Paths.get(DemoLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            System.exit(dev.yawlmetrics.demo.engines.EngineFleetDemo.run(args, repoRoot(), self));
        }
        DemoOptions options;
        try {
            options = DemoOptions.parse(args);
        } catch (DemoOptions.BadFlag e) {
            if (e.getMessage().equals("help")) {
                System.out.print(DemoOptions.USAGE + dev.yawlmetrics.demo.engines.EngineFleetDemo.USAGE);
                System.exit(0);
            }
            System.err.println("demo: " + e.getMessage() + "\n" + DemoOptions.USAGE);
            System.exit(2);
            return;
        }
        if (options.port() != 0 && !portFree(options.port())) {
            System.err.println("demo: port " + options.port() + " is already in use (is another demo or engine running?);"
                    + " choose another with --port=P or --port=0");
            System.exit(2);
        }
        DemoLauncher demo = new DemoLauncher(options, repoRoot());
        Runtime.getRuntime().addShutdownHook(new Thread(demo::stopAll, "demo-cleanup"));
        int rc;
        try {
            rc = demo.run();
        } catch (Exception e) {
            System.err.println("demo: failed: " + e);
            rc = 1;
        }
        demo.stopAll();
        System.exit(rc);
    }

    static boolean portFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(port));
            return true;
        } catch (BindException e) {
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    static Path repoRoot() {
        String fromProperty = System.getProperty("demo.root");
        if (fromProperty != null) {
            return Paths.get(fromProperty).toAbsolutePath();
        }
        try {
            Path jar = Paths.get(DemoLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            // demo/target/yawl-fleet-demo.jar or demo/target/classes -> repository root
            return jar.getParent().getParent().getParent();
        } catch (Exception e) {
            return Paths.get("").toAbsolutePath();
        }
    }

    private int run() throws Exception {
        Path agentJar = root.resolve("agent/target/yawl-metrics-agent.jar");
        if (!Files.isRegularFile(agentJar)) {
            System.err.println("demo: agent jar missing at " + agentJar + "; build it with: mvn -B -q -DskipTests package");
            return 2;
        }
        say("scenario " + options.scenario().id() + ": " + options.scenario().description + "; " + options.agents()
                + " agents, " + (options.durationSeconds() == 0 ? "until Ctrl-C" : options.durationSeconds() + " s"));
        startEtcd();
        startSimulator(agentJar);
        awaitEndpoint();
        say("metrics: http://127.0.0.1:" + metricsPort + metricsPath + "   (agent index page: http://127.0.0.1:" + metricsPort + "/)");
        startPrometheus();
        Timeline timeline = new Timeline(options.scenario(), options.durationSeconds());
        long start = System.nanoTime();
        // (nanoTime, scrape) of the last two periods: rates compare with a scrape at least one period old.
        java.util.ArrayDeque<Map.Entry<Long, Scrape>> history = new java.util.ArrayDeque<>();
        long lastLine = -1;
        while (true) {
            long elapsed = (System.nanoTime() - start) / 1_000_000_000L;
            for (Timeline.Step step : timeline.due(elapsed)) {
                say(">>> " + step.announcement());
                apply(step);
            }
            if (!simulatorAlive()) {
                System.err.println("demo: the simulator exited unexpectedly");
                return 1;
            }
            if (elapsed / 5 != lastLine && elapsed > 0) {
                lastLine = elapsed / 5;
                Scrape current = scrapeOrNull();
                long now = System.nanoTime();
                if (current != null) {
                    Map.Entry<Long, Scrape> base = windowStart(history, now);
                    double seconds = base == null ? (now - start) / 1e9 : (now - base.getKey()) / 1e9;
                    Map<String, List<String>> alerts = prometheusUrl == null ? Map.of() : alerts();
                    Progress.Tick tick = Progress.tick(elapsed, base == null ? null : base.getValue(), current, seconds, PERIOD_SECONDS,
                            alerts.getOrDefault("pending", List.of()), alerts.getOrDefault("firing", List.of()));
                    ticks.add(tick);
                    System.out.println(Progress.line(tick, Math.min(options.agents(), PARTY_AGENTS), prometheusUrl != null));
                    history.addLast(Map.entry(now, current));
                }
                String summary = failures.drain(5);
                if (summary != null) {
                    System.out.println(summary);
                }
            }
            if (options.durationSeconds() > 0 && elapsed >= options.durationSeconds()) {
                break;
            }
            Thread.sleep(250);
        }
        Path report = writeReport();
        int rc = 0;
        if (options.check()) {
            rc = check();
            if (rc == 0 && (report == null || !Files.readString(report).contains("class=\"chart\""))) {
                System.err.println("demo --check: no HTML report with charts was written");
                rc = 1;
            }
            if (rc == 0) {
                rc = checkAlerts();
            }
        }
        say("done; stopping everything this demo started" + (options.keep() && prometheus != null ? " except Prometheus" : ""));
        return rc;
    }

    /** --expect-alerts / --expect-quiet: the shipped rules, evaluated live by Prometheus, saw (or did not see) the run's case. */
    private int checkAlerts() {
        if (options.expectAlerts().isEmpty() && options.expectQuiet().isEmpty()) {
            return 0;
        }
        if (prometheusUrl == null) {
            String message = "demo --check: no Prometheus, so the expected alerts cannot be checked";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                System.err.println(message + " (CI=true: that is a failure)");
                return 1;
            }
            System.err.println("!!!!!!!! " + message + "; SKIPPED (install Debian's prometheus) !!!!!!!!");
            return 0;
        }
        java.util.Set<String> seen = new java.util.TreeSet<>();
        ticks.forEach(t -> {
            seen.addAll(t.pending());
            seen.addAll(t.firing());
        });
        List<String> missing = options.expectAlerts().stream().filter(a -> !seen.contains(a)).toList();
        List<String> noisy = options.expectQuiet().stream().filter(seen::contains).toList();
        if (!missing.isEmpty() || !noisy.isEmpty()) {
            System.err.println("demo --check: alerts expected but never pending or firing: " + missing
                    + "; alerts expected quiet but pending or firing: " + noisy + " (seen: " + seen + ")");
            return 1;
        }
        System.out.println("demo --check: alerts as expected: active " + options.expectAlerts() + ", quiet " + options.expectQuiet()
                + " (all seen: " + seen + ")");
        return 0;
    }

    /** The newest scrape at least one renewal period old (dropping older ones), or the oldest while the run is younger. */
    static <T> Map.Entry<Long, T> windowStart(java.util.ArrayDeque<Map.Entry<Long, T>> history, long now) {
        long period = PERIOD_SECONDS * 1_000_000_000L;
        while (history.size() > 1) {
            Map.Entry<Long, T> second = history.stream().skip(1).findFirst().orElseThrow();
            if (now - second.getKey() >= period) {
                history.removeFirst();
            } else {
                break;
            }
        }
        return history.peekFirst();
    }

    private Path writeReport() {
        if (ticks.isEmpty()) {
            return null;
        }
        try {
            Path file = options.report() != null ? Paths.get(options.report()).toAbsolutePath()
                    : root.resolve("demo/target/reports/demo-" + options.scenario().id() + "-"
                            + java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.now()) + ".html");
            List<String> facts = List.of(
                    "scenario " + options.scenario().id() + ": " + options.scenario().description,
                    String.format(java.util.Locale.ROOT, "%,d registered agents, renewal period %d s (%,d renewals/s needed), %d party agents running discovery loops",
                            options.agents(), PERIOD_SECONDS, options.agents() / PERIOD_SECONDS, Math.min(options.agents(), PARTY_AGENTS)),
                    "etcd: " + etcdUrl + (prometheusUrl == null ? "; no Prometheus, so no alert timeline" : "; alerts evaluated by Prometheus with rules/"),
                    "one point every 5 s; rates and quantiles over the last renewal period (" + PERIOD_SECONDS + " s)",
                    "last line: " + Progress.line(ticks.get(ticks.size() - 1), Math.min(options.agents(), PARTY_AGENTS), prometheusUrl != null));
            Report.write(file, "yawl-metrics-agent demo: " + options.scenario().id(), facts, ticks);
            say("report: " + file + "  (open it in a browser; it needs no network)");
            return file;
        } catch (IOException e) {
            System.err.println("demo: could not write the HTML report: " + e);
            return null;
        }
    }

    private int check() throws Exception {
        Scrape s = scrapeOrNull();
        if (s == null) {
            System.err.println("demo --check: the metrics endpoint did not answer");
            return 1;
        }
        List<String> missing = new ArrayList<>();
        for (String family : EXPECTED_FAMILIES) {
            if (s.find(family).isEmpty()) {
                missing.add(family);
            }
        }
        if (!missing.isEmpty()) {
            System.err.println("demo --check: missing metric families " + missing);
            return 1;
        }
        System.out.println("demo --check: the endpoint served all " + EXPECTED_FAMILIES.length + " expected families ("
                + s.seriesCount() + " series)");
        return 0;
    }

    private void apply(Timeline.Step step) throws Exception {
        switch (step.action()) {
            case ETCD_DOWN -> {
                if (etcd != null) {
                    etcd.destroy();
                    etcd.waitFor();
                } else {
                    simulator("etcd-down");
                }
            }
            case ETCD_UP -> {
                if (etcdCommand != null) {
                    launchEtcd();
                } else {
                    simulator("etcd-up");
                }
            }
            default -> simulator(step.action().command());
        }
    }

    private void simulator(String command) throws IOException {
        simulatorIn.write(command);
        simulatorIn.newLine();
        simulatorIn.flush();
    }

    private void startEtcd() throws Exception {
        if (options.etcd().startsWith("http")) {
            etcdUrl = options.etcd();
            say("etcd: using " + etcdUrl);
            return;
        }
        Optional<Path> binary = options.etcd().equals("auto") ? which("etcd") : Optional.empty();
        if (binary.isEmpty()) {
            etcdUrl = "embedded";
            say("etcd: embedded etcd-compatible endpoint inside the simulator"
                    + (options.etcd().equals("auto") ? " (install Debian's etcd-server to use a real one)" : ""));
            return;
        }
        // etcd fsyncs every put; on a busy disk that alone caps the renewals. The demo's registry
        // is throw-away, so it lives in memory when the machine has /dev/shm.
        Path dir = Files.isDirectory(Paths.get("/dev/shm")) && Files.isWritable(Paths.get("/dev/shm"))
                ? track(Files.createTempDirectory(Paths.get("/dev/shm"), "yawl-demo-etcd-")) : tempDir("etcd");
        int client = freePort();
        int peer = freePort();
        etcdUrl = "http://127.0.0.1:" + client;
        String peerUrl = "http://127.0.0.1:" + peer;
        etcdCommand = List.of(binary.get().toString(), "--name", "demo", "--data-dir", dir.resolve("data").toString(),
                "--listen-client-urls", etcdUrl, "--advertise-client-urls", etcdUrl, "--listen-peer-urls", peerUrl,
                "--initial-advertise-peer-urls", peerUrl, "--initial-cluster", "demo=" + peerUrl,
                "--logger", "zap", "--log-outputs", dir.resolve("etcd.log").toString());
        launchEtcd();
        say("etcd: real etcd " + binary.get() + " on " + etcdUrl + " (data in " + dir + ")");
    }

    private void launchEtcd() throws Exception {
        etcd = new ProcessBuilder(etcdCommand).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        children.add(etcd);
        awaitHttp(etcdUrl + "/health", Duration.ofSeconds(30));
        // The engine's client sends its TTL (seconds) as the lease id; etcd 3.4 rejects puts for an
        // unknown lease. Grant that lease, as an operator working around the bug would.
        post(etcdUrl + "/v3/lease/grant", "{\"TTL\": 3600, \"ID\": " + FleetSimulator.TTL_SECONDS + "}");
    }

    private void startSimulator(Path agentJar) throws Exception {
        Path demoJar = Paths.get(DemoLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java,
                "-javaagent:" + agentJar + "=port=" + options.port() + ",tags=cluster=demo;pod=fleet-0",
                "-Xss512k", "-XX:+UseZGC"));
        boolean saturation = options.scenario() == DemoOptions.Scenario.SATURATION;
        if (saturation) {
            cmd.add("-Dfixture.heartbeat.executor=single");
        }
        cmd.addAll(List.of("-cp", demoJar.toString(), FleetSimulator.class.getName(),
                "--agents=" + options.agents(), "--party-agents=" + PARTY_AGENTS, "--etcd=" + etcdUrl, "--scenario=" + options.scenario().id()));
        if (saturation) {
            cmd.add("--etcd-delay-ms=" + DemoOptions.SATURATION_ETCD_DELAY_MS);
        }
        Process p = new ProcessBuilder(cmd).start();
        simulator = p;
        children.add(p);
        simulatorIn = new BufferedWriter(new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8));
        relay(p.getInputStream(), false);
        relay(p.getErrorStream(), true);
    }

    private void relay(java.io.InputStream in, boolean stderr) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        metricsPort = Integer.parseInt(m.group(1));
                        metricsPath = m.group(2);
                    }
                    if (failures.offer(line)) {
                        continue;
                    }
                    if (line.startsWith("[yawl-metrics-agent]") || line.startsWith("[fleet]")) {
                        System.out.println("  " + line);
                    } else if (stderr && !line.isBlank()) {
                        System.err.println("  [simulator] " + line);
                    }
                }
            } catch (IOException ignored) {
                // process ended
            }
        }, "demo-relay");
        t.setDaemon(true);
        t.start();
    }

    private void awaitEndpoint() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (metricsPort < 0) {
            if (System.nanoTime() > deadline || !simulatorAlive()) {
                throw new IllegalStateException("the agent's metrics endpoint did not come up");
            }
            Thread.sleep(50);
        }
    }

    private boolean simulatorAlive() {
        return simulator != null && simulator.isAlive();
    }

    private void startPrometheus() throws Exception {
        if (!options.prometheus()) {
            return;
        }
        Optional<Path> binary = which("prometheus");
        if (binary.isEmpty()) {
            say("prometheus: not installed, so the shipped alert rules are not evaluated here"
                    + " (apt-get install -y prometheus, then run the demo again)");
            return;
        }
        Path dir = tempDir("prometheus");
        int port = freePort();
        StringBuilder config = new StringBuilder();
        config.append("global:\n  scrape_interval: 5s\n  evaluation_interval: 5s\n  external_labels:\n    cluster: demo\n");
        List<Path> rules = ruleFiles();
        if (!rules.isEmpty()) {
            config.append("rule_files:\n");
            for (Path r : rules) {
                config.append("  - ").append(r).append('\n');
            }
        }
        config.append("scrape_configs:\n  - job_name: yawl-engine\n    metrics_path: ").append(metricsPath)
              .append("\n    static_configs:\n      - targets: ['127.0.0.1:").append(metricsPort).append("']\n");
        if (etcdCommand != null) {
            config.append("  - job_name: etcd\n    static_configs:\n      - targets: ['")
                  .append(etcdUrl.substring("http://".length())).append("']\n");
        }
        Files.writeString(dir.resolve("prometheus.yml"), config);
        Process p = new ProcessBuilder(binary.get().toString(), "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        children.add(p);
        prometheus = p;
        prometheusDir = dir;
        prometheusUrl = "http://127.0.0.1:" + port;
        awaitReady(p, prometheusUrl + "/-/ready", dir.resolve("prometheus.log"), Duration.ofSeconds(60));
        say("prometheus: " + prometheusUrl + " with " + rules.size() + " rule file(s) from rules/; alerts: " + prometheusUrl + "/alerts");
    }

    private List<Path> ruleFiles() throws IOException {
        return RuleFiles.of(root.resolve("rules"));
    }

    /** Alert names by state ("pending", "firing"); an alert firing for one series and pending for another counts as firing. */
    private Map<String, List<String>> alerts() {
        try {
            return alertsByState(get(prometheusUrl + "/api/v1/alerts"));
        } catch (Exception e) {
            return Map.of("firing", List.of("?"));
        }
    }

    static Map<String, List<String>> alertsByState(String json) {
        TreeSet<String> firing = new TreeSet<>();
        TreeSet<String> pending = new TreeSet<>();
        // /api/v1/alerts: {"labels":{...,"alertname":"X",...},"annotations":{...},"state":"pending",...}
        Matcher m = Pattern.compile("\\{\"labels\":\\{[^}]*\"alertname\":\"([^\"]+)\"[^}]*}.*?\"state\":\"(\\w+)\"").matcher(json);
        while (m.find()) {
            (m.group(2).equals("firing") ? firing : pending).add(m.group(1));
        }
        pending.removeAll(firing);
        return Map.of("firing", List.copyOf(firing), "pending", List.copyOf(pending));
    }

    private Scrape scrapeOrNull() {
        try {
            return Scrape.parse(get("http://127.0.0.1:" + metricsPort + metricsPath));
        } catch (Exception e) {
            return null;
        }
    }

    private static String get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static void post(String url, String json) throws Exception {
        HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void awaitHttp(String url, Duration timeout) throws Exception {
        awaitReady(null, url, null, timeout);
    }

    /**
     * Waits for {@code url} to answer 200. With a process and its log: says at once why the
     * process is gone instead of waiting out the timeout, and shows the end of its log.
     */
    private static void awaitReady(Process p, String url, Path log, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (p != null && !p.isAlive()) {
                throw new IllegalStateException("prometheus exited with status " + p.exitValue() + " before " + url
                        + " answered; the end of its log (" + log + "):\n" + tail(log, 15));
            }
            try {
                if (HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException ignored) {
                // not yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(url + " did not answer within " + timeout
                + (log == null ? "" : "; the end of Prometheus' log (" + log + "):\n" + tail(log, 15)));
    }

    private static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    private static Optional<Path> which(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Paths.get(dir, name);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private static int freePort() {
        return dev.yawlmetrics.testsupport.FreePorts.next();
    }

    private Path track(Path dir) {
        tempDirs.add(dir);
        return dir;
    }

    private Path tempDir(String name) throws IOException {
        Path dir = Files.createTempDirectory("yawl-demo-" + name + "-");
        tempDirs.add(dir);
        return dir;
    }

    private synchronized void stopAll() {
        if (options.keep() && prometheus != null && prometheus.isAlive()) {
            children.remove(prometheus);
            tempDirs.remove(prometheusDir);
            say("Prometheus keeps running (--keep): " + prometheusUrl + "/graph  (data in " + prometheusDir
                    + "; stop it with: kill " + prometheus.pid() + ")");
            prometheus = null;
        }
        for (Process p : children) {
            p.destroy();
        }
        for (Process p : children) {
            try {
                if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
            }
        }
        children.clear();
        for (Path dir : tempDirs) {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException ignored) {
                // best effort
            }
        }
        tempDirs.clear();
    }

    private static void say(String line) {
        System.out.println("[demo] " + line);
    }
}
