package dev.yawlmetrics.demo.engines;

import dev.yawlmetrics.demo.EmbeddedEtcd;
import dev.yawlmetrics.demo.FleetSimulator;
import dev.yawlmetrics.testsupport.DelayProxy;
import dev.yawlmetrics.testsupport.EtcdServer;
import dev.yawlmetrics.testsupport.PrometheusServer;
import dev.yawlmetrics.testsupport.Scrape;
import dev.yawlmetrics.testsupport.Tools;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Several engine JVMs behind one Prometheus, as a cluster runs them: one shared etcd (real when
 * installed, else the embedded stand-in hosted in this JVM), N fleet simulators each with the
 * agent, its own {@code pod} tag and its own share of the agents, and one real Prometheus that
 * finds the engines through {@code file_sd_configs} (the file a discovery sidecar or a CMDB export
 * would write) and evaluates the given rule files. Each engine reaches etcd through its own
 * loopback link, so one engine's connection can be broken ({@link #cutEtcd}) while the others
 * keep theirs.
 */
public final class EngineFleet implements AutoCloseable {
    /** Prometheus job of the engines, as in rules/prometheus.yml. */
    public static final String JOB = "yawl-engine";

    /**
     * What to start.
     *
     * @param engines          engine JVMs (1-20)
     * @param agents           agents of the whole fleet, shared unequally (see {@link #shares})
     * @param partyAgents      GenericPartyAgents running their discovery loop, per engine
     * @param heartbeatMs      the engines' heartbeat period
     * @param scrapeSeconds    Prometheus' scrape and evaluation interval
     * @param cluster          Prometheus' external label {@code cluster}
     * @param etcd             auto (real etcd when installed, else embedded), embedded, or an http URL
     * @param prometheus       start Prometheus when installed
     * @param ruleFiles        rule files Prometheus loads
     * @param agentJar         the built agent jar
     * @param classPath        where the simulator and the engine-shaped classes are
     * @param jvmArgs          extra JVM arguments of every engine
     */
    public record Settings(int engines, int agents, int partyAgents, long heartbeatMs, int scrapeSeconds, String cluster,
                           String etcd, boolean prometheus, List<Path> ruleFiles, Path agentJar, String classPath,
                           List<String> jvmArgs) {
        public Settings {
            if (engines < 1 || engines > 20) {
                throw new IllegalArgumentException("engines must be 1-20, not " + engines);
            }
            int minimum = engines * (engines + 1) / 2;
            if (agents < minimum) {
                throw new IllegalArgumentException(engines + " engines need at least " + minimum + " agents (engine i gets i+1 shares)");
            }
        }
    }

    /** One line of the series report. */
    public record EngineSeries(String pod, int agents, int series, int seriesInPrometheus) {}

    private final Settings settings;
    private final Consumer<String> log;
    private final List<EngineProcess> engines = new ArrayList<>();
    private final List<DelayProxy> links = new ArrayList<>();
    private final List<Path> tempDirs = new ArrayList<>();
    private EtcdServer realEtcd;
    private EmbeddedEtcd embeddedEtcd;
    private String etcdUrl;
    private PrometheusServer prometheus;

    private EngineFleet(Settings settings, Consumer<String> log) {
        this.settings = settings;
        this.log = log;
    }

    /**
     * Agents per engine: engine i gets i+1 shares. Unequal on purpose: a fleet figure that is a
     * max, an average times N or one engine's value cannot pass for the sum.
     */
    public static int[] shares(int agents, int engines) {
        int weights = engines * (engines + 1) / 2;
        int[] out = new int[engines];
        int given = 0;
        for (int i = 0; i < engines; i++) {
            out[i] = (int) ((long) agents * (i + 1) / weights);
            given += out[i];
        }
        out[engines - 1] += agents - given;
        return out;
    }

    /** Starts everything; on failure stops what was started and rethrows. */
    public static EngineFleet start(Settings settings, Consumer<String> log) throws Exception {
        EngineFleet fleet = new EngineFleet(settings, log);
        try {
            fleet.startEtcd();
            fleet.startEngines();
            fleet.startPrometheus();
            return fleet;
        } catch (Throwable t) {
            fleet.close();
            throw t;
        }
    }

    private void startEtcd() throws Exception {
        if (settings.etcd().startsWith("http")) {
            etcdUrl = settings.etcd();
            log.accept("etcd: using " + etcdUrl);
        } else if (settings.etcd().equals("auto") && Tools.find("etcd").isPresent()) {
            realEtcd = EtcdServer.startNew();
            etcdUrl = realEtcd.clientUrl();
            // The engine's client sends its TTL as the lease id; etcd 3.4 refuses puts for an unknown
            // lease, so grant that one, as an operator working around the engine's bug would.
            realEtcd.grantLease(FleetSimulator.TTL_SECONDS, 3600);
            log.accept("etcd: one real etcd for all engines on " + etcdUrl);
        } else {
            embeddedEtcd = new EmbeddedEtcd();
            embeddedEtcd.start();
            etcdUrl = embeddedEtcd.url();
            log.accept("etcd: one embedded etcd-compatible endpoint for all engines on " + etcdUrl
                    + (settings.etcd().equals("auto") ? " (install Debian's etcd-server to use a real one)" : ""));
        }
    }

    private void startEngines() throws Exception {
        int[] shares = shares(settings.agents(), settings.engines());
        URI etcd = URI.create(etcdUrl);
        boolean loopback = etcd.getHost().equals("127.0.0.1") || etcd.getHost().equals("localhost");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> jvmArgs = new ArrayList<>(settings.jvmArgs());
        jvmArgs.add("-Dfixture.heartbeat.periodMs=" + settings.heartbeatMs());
        for (int i = 0; i < settings.engines(); i++) {
            String url = etcdUrl;
            if (loopback) {
                DelayProxy link = new DelayProxy(etcd.getPort(), 0);
                links.add(link);
                url = link.url();
            }
            engines.add(EngineProcess.start("engine-" + i, shares[i], settings.partyAgents(), java,
                    settings.agentJar().toString(), settings.classPath(), jvmArgs, url, log));
        }
        for (EngineProcess e : engines) {
            e.awaitReady(Duration.ofSeconds(120));
            log.accept(e.pod() + ": " + e.agents() + " agents, metrics on http://" + e.target() + e.metricsPath());
        }
    }

    private void startPrometheus() throws Exception {
        if (!settings.prometheus()) {
            return;
        }
        if (Tools.find("prometheus").isEmpty()) {
            log.accept("prometheus: not installed, so no fleet-wide rules are evaluated (apt-get install -y prometheus)");
            return;
        }
        Path sd = Files.createTempDirectory("yawl-engines-sd-");
        tempDirs.add(sd);
        for (EngineProcess e : engines) {
            writeTarget(sd, e);
        }
        prometheus = PrometheusServer.start(prometheusConfig(sd));
        log.accept("prometheus: " + prometheus.url() + " discovering " + engines.size() + " engines from " + sd
                + "/*.json (file_sd_configs), " + settings.ruleFiles().size() + " rule file(s); alerts: " + prometheus.url() + "/alerts");
        awaitQuery("count(up{job=\"" + JOB + "\"} == 1)", v -> v == engines.size(), Duration.ofSeconds(60));
    }

    /** One file_sd file per engine, replaced atomically (Prometheus watches the directory). */
    private static void writeTarget(Path dir, EngineProcess e) throws IOException {
        String json = "[{\"targets\": [\"" + e.target() + "\"], \"labels\": {\"__metrics_path__\": \"" + e.metricsPath() + "\"}}]\n";
        Path tmp = dir.resolve("." + e.pod() + ".tmp");
        Files.writeString(tmp, json);
        Files.move(tmp, dir.resolve(e.pod() + ".json"), StandardCopyOption.ATOMIC_MOVE);
    }

    String prometheusConfig(Path sdDir) {
        int s = settings.scrapeSeconds();
        StringBuilder sb = new StringBuilder();
        sb.append("global:\n  scrape_interval: ").append(s).append("s\n  scrape_timeout: ").append(Math.min(s, 10))
          .append("s\n  evaluation_interval: ").append(s).append("s\n  external_labels:\n    cluster: ").append(settings.cluster()).append('\n');
        if (!settings.ruleFiles().isEmpty()) {
            sb.append("rule_files:\n");
            for (Path r : settings.ruleFiles()) {
                sb.append("  - '").append(r.toAbsolutePath()).append("'\n");
            }
        }
        // The engines are not listed here: they are discovered, and the agent's own `pod` tag names them.
        sb.append("scrape_configs:\n  - job_name: ").append(JOB).append("\n    file_sd_configs:\n      - files: ['")
          .append(sdDir.toAbsolutePath()).append("/*.json']\n        refresh_interval: 5s\n");
        if (realEtcd != null) {
            sb.append("  - job_name: etcd\n    static_configs:\n      - targets: ['127.0.0.1:").append(realEtcd.clientPort())
              .append("']\n        labels:\n          etcd_cluster: ").append(settings.cluster()).append('\n');
        }
        return sb.toString();
    }

    public List<EngineProcess> engines() {
        return List.copyOf(engines);
    }

    /** Null when Prometheus is not running. */
    public PrometheusServer prometheus() {
        return prometheus;
    }

    public String etcdUrl() {
        return etcdUrl;
    }

    /** Breaks (true) or restores (false) engine {@code i}'s connection to etcd; the others keep theirs. */
    public void cutEtcd(int i, boolean cut) {
        if (links.isEmpty()) {
            throw new IllegalStateException("etcd is not on loopback: no per-engine link to break");
        }
        links.get(i).cut(cut);
    }

    private static final Pattern SERIES = Pattern.compile("\\{\"metric\":\\{([^}]*)\\},\"value\":\\[[^,]+,\"([^\"]+)\"\\]\\}");
    private static final Pattern LABEL = Pattern.compile("\"([a-zA-Z_][a-zA-Z0-9_]*)\":\"([^\"]*)\"");

    /** Instant query; one value per result series, keyed by its labels ("{}" when none). */
    public Map<Map<String, String>, Double> query(String promql) throws Exception {
        if (prometheus == null) {
            throw new IllegalStateException("Prometheus is not running");
        }
        String json = prometheus.query(promql);
        if (!json.contains("\"status\":\"success\"")) {
            throw new IllegalStateException(promql + " -> " + json);
        }
        Map<Map<String, String>, Double> out = new LinkedHashMap<>();
        Matcher m = SERIES.matcher(json);
        while (m.find()) {
            Map<String, String> labels = new LinkedHashMap<>();
            Matcher l = LABEL.matcher(m.group(1));
            while (l.find()) {
                labels.put(l.group(1), l.group(2));
            }
            out.put(labels, Double.parseDouble(m.group(2)));
        }
        return out;
    }

    /** The single value of a query, or NaN when it returns nothing. */
    public double scalar(String promql) throws Exception {
        Map<Map<String, String>, Double> r = query(promql);
        return r.isEmpty() ? Double.NaN : r.values().iterator().next();
    }

    /** Polls a query until its single value passes {@code done}. */
    public double awaitQuery(String promql, java.util.function.DoublePredicate done, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        double last = scalar(promql);
        while (!done.test(last)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting for " + promql + "; last value " + last);
            }
            Thread.sleep(250);
            last = scalar(promql);
        }
        return last;
    }

    /**
     * Series each engine serves (its own /metrics) and Prometheus holds for it, excluding the JVM's
     * GC-event series, which appear with the first collection of each kind (bounded by the
     * collector, not by agents). Prometheus' own series about a target (up, scrape_*, and ALERTS /
     * ALERTS_FOR_STATE of alerts that keep the pod label) are not the engine's and are left out too.
     */
    public List<EngineSeries> seriesReport() throws Exception {
        Map<String, Double> inPrometheus = new LinkedHashMap<>();
        if (prometheus != null) {
            query("count by (pod) ({job=\"" + JOB + "\", __name__!~\"jvm_gc_pause.*|jvm_gc_concurrent_phase_time.*|up|scrape_.*|ALERTS|ALERTS_FOR_STATE\"})")
                    .forEach((labels, v) -> inPrometheus.put(labels.getOrDefault("pod", ""), v));
        }
        List<EngineSeries> out = new ArrayList<>();
        for (EngineProcess e : engines) {
            out.add(new EngineSeries(e.pod(), e.agents(), comparableSeries(e.scrape()), inPrometheus.getOrDefault(e.pod(), -1.0).intValue()));
        }
        return out;
    }

    /** Series of one scrape that must not depend on the number of agents (GC-event series left out). */
    public static int comparableSeries(Scrape s) {
        return (int) s.samples().stream().filter(x -> !x.name().startsWith("jvm_gc_pause") && !x.name().startsWith("jvm_gc_concurrent_phase_time")).count();
    }

    /** The report's table: agents and series per engine, and the fleet's totals. */
    public static String formatReport(List<EngineSeries> rows) {
        StringBuilder sb = new StringBuilder("  engine     agents   series (own /metrics)   series (in Prometheus)\n");
        int agents = 0;
        int series = 0;
        int inProm = 0;
        for (EngineSeries r : rows) {
            sb.append(String.format("  %-9s %7d   %21d   %22s%n", r.pod(), r.agents(), r.series(), r.seriesInPrometheus() < 0 ? "-" : r.seriesInPrometheus()));
            agents += r.agents();
            series += r.series();
            inProm += Math.max(0, r.seriesInPrometheus());
        }
        sb.append(String.format("  %-9s %7d   %21d   %22s%n", "total", agents, series, inProm == 0 ? "-" : inProm));
        return sb.toString();
    }

    @Override
    public synchronized void close() {
        List<AutoCloseable> all = new ArrayList<>();
        all.add(prometheus);
        try (ExecutorService stop = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> stopping = new ArrayList<>();
            for (EngineProcess e : engines) {
                stopping.add(stop.submit(e::close));
            }
            for (Future<?> f : stopping) {
                try {
                    f.get();
                } catch (Exception ignored) {
                    // best effort
                }
            }
        }
        engines.clear();
        all.addAll(links);
        all.add(realEtcd);
        for (AutoCloseable c : all) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // best effort
                }
            }
        }
        links.clear();
        prometheus = null;
        realEtcd = null;
        if (embeddedEtcd != null) {
            embeddedEtcd.stop();
            embeddedEtcd = null;
        }
        for (Path dir : tempDirs) {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException ignored) {
                // best effort
            }
        }
        tempDirs.clear();
    }
}
