package dev.yawlmetrics.ops.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import dev.yawlmetrics.demo.engines.EngineFleet;
import dev.yawlmetrics.demo.engines.EngineProcess;
import dev.yawlmetrics.testsupport.AgentJvm;
import dev.yawlmetrics.testsupport.Scrape;
import dev.yawlmetrics.testsupport.Tools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three engine JVMs behind one real Prometheus that discovers them through file_sd_configs
 * ({@link EngineFleet}, what {@code ./demo.sh --engines=3} runs), with one real etcd: the fleet-wide
 * recording rules equal the sum of the engines' own /metrics, every cross-pod dashboard query
 * returns the fleet figure and every per-pod panel one series per engine, the series per engine do
 * not depend on its agents, and when one engine loses etcd the per-pod alert fires for exactly that
 * engine, with its pod label. The shipped rule files are loaded with one change only: every alert's
 * {@code for:} becomes 2s, so the test does not wait 5 minutes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiEngineFleetLiveTest {
    static final int ENGINES = 3;
    static final int AGENTS = 150;
    static final long PERIOD_MS = 1000;
    static final String PER_POD_ALERT = "HeartbeatFailingOnPod";
    static final Pattern PER_POD = Pattern.compile("\\bby \\([^)]*\\b(instance|pod)\\b[^)]*\\)");
    static final Pattern ENGINE_METRIC = Pattern.compile("yawl_[a-z0-9_]+|jvm_[a-z0-9_]+|process_[a-z0-9_]+");
    /** sum/max/min [by (labels)] (metric{matchers}): a fleet figure the engines' own scrapes can recompute. */
    static final Pattern SIMPLE_AGGREGATE = Pattern.compile("(sum|max|min)\\s*(?:by \\(([^)]*)\\)\\s*)?\\(([a-z_0-9]+)\\{([^}]*)\\}\\)");
    /**
     * Gauges that sample work in progress (queued renewals, busy threads, open requests). Prometheus
     * scrapes every 2 s and the engines renew every 1 s, so its samples lock onto one phase of the
     * renewal cycle (in one CI run, always mid-burst: 142 queued, where the test's own scrapes saw 150):
     * no scrape taken at another moment can equal them. Their cross-pod figure is checked against
     * Prometheus' own per-engine samples at the same evaluation time instead.
     */
    static final Pattern MOMENTARY = Pattern.compile("_queue_depth$|_active_threads$|_connections_(active|pending)$|_utilization_percent$|^process_cpu_usage$");
    static final Pattern MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"([^\"]*)\"");

    EngineFleet fleet;
    final List<String> log = new CopyOnWriteArrayList<>();
    double[] countersAtStart;
    long countersSince;
    Path alerts;

    @BeforeAll
    void startFleet() throws Exception {
        Tools.require("etcd", "etcd-server");
        Tools.require("prometheus", "prometheus");
        Path rules = DashboardFiles.dir().getParent().resolve("rules");
        alerts = Files.createTempFile("multi-engine-alerts", ".yml");
        Files.writeString(alerts, shortFor(Files.readString(rules.resolve("alerts.yml"))));
        String cp = System.getProperty("demo.classes", "../demo/target/classes") + File.pathSeparator + AgentJvm.hostClassPath();
        // 2 s scrapes (timeout 2 s): 1 s timed out now and then on a loaded 2-core machine.
        EngineFleet.Settings settings = new EngineFleet.Settings(ENGINES, AGENTS, 5, PERIOD_MS, 2, "fleet-test", "auto", true,
                List.of(rules.resolve("recording.yml"), alerts), AgentJvm.agentJar(), cp,
                // A loaded CI machine made 5 s registrations time out; the fault below is a refused
                // connection, which fails at once whatever the timeout.
                List.of("-XX:+UseSerialGC", "-Xmx192m", "-Xss512k", "-XX:TieredStopAtLevel=1", "-Dfixture.etcd.timeoutMs=20000"));
        fleet = EngineFleet.start(settings, log::add);
        // Prometheus scrapes from here on: the renewal rate check compares a minute of both.
        countersSince = System.nanoTime();
        countersAtStart = ownCounter();
    }

    /** The shipped alerts with every {@code for:} at 2s; expressions and everything else unchanged. */
    static String shortFor(String alertsYaml) {
        String out = alertsYaml.replaceAll("(?m)^(\\s+for:)\\s*\\S+\\s*$", "$1 2s");
        if (out.equals(alertsYaml)) {
            throw new AssertionError("no for: found in alerts.yml");
        }
        return out;
    }

    @AfterAll
    void stop() throws Exception {
        if (fleet != null) {
            fleet.close();
        }
        if (alerts != null) {
            Files.deleteIfExists(alerts);
        }
    }

    private String context() {
        return "\nfleet log (last 40 lines):\n  " + String.join("\n  ", log.subList(Math.max(0, log.size() - 40), log.size()));
    }

    @Test
    @Order(1)
    void seriesPerEngineDoNotDependOnItsAgents() throws Exception {
        List<EngineFleet.EngineSeries> rows = awaitSeriesInPrometheus();
        System.err.println("MultiEngineFleetLiveTest series report:\n" + EngineFleet.formatReport(rows));
        Set<Integer> agents = new TreeSet<>();
        Set<Integer> series = new TreeSet<>();
        for (EngineFleet.EngineSeries r : rows) {
            agents.add(r.agents());
            series.add(r.series());
            assertEquals(r.series(), r.seriesInPrometheus(), "Prometheus holds what " + r.pod() + " serves: " + rows);
        }
        assertEquals(ENGINES, agents.size(), "the engines carry different numbers of agents: " + rows);
        assertEquals(1, series.size(), "series per engine must not depend on its agents: " + rows + "\n"
                + seriesDifference(fleet.engines()));
        assertTrue(series.iterator().next() > 100, rows.toString());
    }

    private List<EngineFleet.EngineSeries> awaitSeriesInPrometheus() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<EngineFleet.EngineSeries> rows = fleet.seriesReport();
        while (rows.stream().anyMatch(r -> r.series() != r.seriesInPrometheus()) && System.nanoTime() < deadline) {
            Thread.sleep(1000);
            rows = fleet.seriesReport();
        }
        return rows;
    }

    private static String seriesDifference(List<EngineProcess> engines) throws Exception {
        Map<String, Set<String>> keys = new TreeMap<>();
        for (EngineProcess e : engines) {
            Set<String> k = new TreeSet<>();
            for (Scrape.Sample s : e.scrape().samples()) {
                Map<String, String> labels = new TreeMap<>(s.labels());
                labels.remove("pod");
                k.add(s.name() + labels);
            }
            keys.put(e.pod(), k);
        }
        Set<String> common = null;
        for (Set<String> k : keys.values()) {
            if (common == null) {
                common = new TreeSet<>(k);
            } else {
                common.retainAll(k);
            }
        }
        StringBuilder sb = new StringBuilder();
        for (var e : keys.entrySet()) {
            Set<String> only = new TreeSet<>(e.getValue());
            only.removeAll(common);
            sb.append(e.getKey()).append(" only: ").append(only).append('\n');
        }
        return sb.toString();
    }

    @Test
    @Order(2)
    void fleetLiveAgentRecordingRulesAreTheSumOfTheEnginesOwnCounts() throws Exception {
        // Gauges settle once every agent has renewed at least once; compare when the engines' own
        // figures stood still across the Prometheus query.
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            double[] before = ownLive();
            double recorded = fleet.scalar("yawl:agent_count:5m");
            double hourly = fleet.scalar("yawl:agent_count:1h");
            double[] after = ownLive();
            double sum = sum(before);
            last = "engines " + java.util.Arrays.toString(before) + " -> " + java.util.Arrays.toString(after)
                    + "; yawl:agent_count:5m " + recorded + ", yawl:agent_count:1h " + hourly;
            if (java.util.Arrays.equals(before, after) && recorded == sum) {
                assertEquals(ENGINES, java.util.Arrays.stream(before).distinct().count(), "engines' own counts differ: " + last);
                assertTrue(before[ENGINES - 1] > 0 && recorded > max(before), "a sum, not a max: " + last);
                System.err.println("MultiEngineFleetLiveTest: " + last);
                return;
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("yawl:agent_count:5m never equalled the sum of the engines' own live counts: " + last + context());
    }

    private double[] ownLive() throws Exception {
        double[] out = new double[ENGINES];
        for (int i = 0; i < ENGINES; i++) {
            out[i] = fleet.engines().get(i).scrape().sum("yawl_marketplace_live_agents_count");
        }
        return out;
    }

    private static double sum(double[] v) {
        return java.util.Arrays.stream(v).sum();
    }

    private static double max(double[] v) {
        return java.util.Arrays.stream(v).max().orElse(0);
    }

    @Test
    @Order(3)
    void dashboardQueriesReturnTheFleetFigureAndOneSeriesPerEngine() throws Exception {
        Set<String> targets = new TreeSet<>();
        for (EngineProcess e : fleet.engines()) {
            targets.add(e.target());
        }
        List<String> problems = new ArrayList<>();
        int perPod = 0;
        int fleetChecked = 0;
        int fleetMoving = 0;
        int fleetSampled = 0;
        for (var d : DashboardFiles.load().entrySet()) {
            for (DashboardFiles.Query q : DashboardFiles.queries(d.getKey(), d.getValue())) {
                Set<String> metrics = DashboardFiles.metricNames(q.expr());
                if (metrics.isEmpty() || !metrics.stream().allMatch(m -> ENGINE_METRIC.matcher(m).matches())
                        || q.where().startsWith("variable")) {
                    continue;
                }
                String expr = DashboardFiles.substitute(q.expr(), d.getValue());
                JsonNode answer = Grafana.JSON.readTree(fleet.prometheus().query(expr));
                JsonNode result = answer.path("data").path("result");
                if (PER_POD.matcher(q.expr()).find()) {
                    if (result.isEmpty()) {
                        continue; // data or not is DashboardQueriesLiveTest's business; here: how many series
                    }
                    perPod++;
                    Set<String> seen = instances(result);
                    // One failed scrape on a loaded machine makes a target's series stale for a moment: ask again.
                    for (int attempt = 0; attempt < 5 && !seen.equals(targets); attempt++) {
                        Thread.sleep(1000);
                        seen = instances(Grafana.JSON.readTree(fleet.prometheus().query(expr)).path("data").path("result"));
                    }
                    if (!seen.equals(targets)) {
                        problems.add(q + "\n      -> series for " + seen + ", engines are " + targets);
                    }
                    continue;
                }
                for (JsonNode r : result) {
                    if (r.path("metric").has("instance") || r.path("metric").has("pod")) {
                        problems.add(q + "\n      -> a cross-pod query returned a per-pod series " + r.path("metric"));
                    }
                }
                Matcher m = SIMPLE_AGGREGATE.matcher(expr);
                if (!m.matches() || result.isEmpty()) {
                    continue;
                }
                boolean momentary = MOMENTARY.matcher(m.group(3)).find();
                String verdict = momentary ? compareWithPerEngineSamples(expr, m, targets) : compareWithEngines(expr, m);
                if (verdict == null && momentary) {
                    fleetSampled++;
                } else if (verdict == null) {
                    fleetChecked++;
                } else if (verdict.equals("moving")) {
                    fleetMoving++; // the engines' figure never stood still across a query: nothing exact to compare
                } else {
                    problems.add(q + "\n      -> " + verdict);
                }
            }
        }
        System.err.println("MultiEngineFleetLiveTest: " + perPod + " per-pod panel queries had one series per engine; "
                + fleetChecked + " cross-pod queries equal the engines' own figures (" + fleetMoving + " moved while compared), "
                + fleetSampled + " momentary ones equal Prometheus' per-engine samples");
        assertTrue(problems.isEmpty(), problems.size() + " dashboard queries do not add up across engines:\n  "
                + String.join("\n  ", problems));
        assertTrue(perPod >= 3, "per-pod panels checked: " + perPod);
        assertTrue(fleetChecked >= 3, "cross-pod figures compared exactly: " + fleetChecked);
        assertTrue(fleetSampled >= 1, "momentary cross-pod figures compared with per-engine samples: " + fleetSampled);
    }

    private static Set<String> instances(JsonNode result) {
        Set<String> seen = new TreeSet<>();
        for (JsonNode r : result) {
            seen.add(r.path("metric").path("instance").asText(r.path("metric").path("pod").asText()));
        }
        return seen;
    }

    /**
     * Null when Prometheus' answer equals the same aggregation over the engines' own scrapes taken
     * just before and after it; "moving" when its series changed in the last 15 s or across every attempt;
     * otherwise the mismatch. Retried because Prometheus' last scrape may be a second old.
     */
    private String compareWithEngines(String expr, Matcher m) throws Exception {
        // Only figures whose series stood still for the last 15 s have one exact answer.
        double changes = fleet.scalar("max(changes(" + m.group(3) + "{" + m.group(4) + "}[15s]))");
        if (Double.isNaN(changes) || changes > 0) {
            return "moving";
        }
        String mismatch = "moving";
        for (int attempt = 0; attempt < 10; attempt++) {
            Map<String, Double> before = ownAggregate(m);
            Map<String, Double> fromPrometheus = new TreeMap<>();
            for (JsonNode r : Grafana.JSON.readTree(fleet.prometheus().query(expr)).path("data").path("result")) {
                fromPrometheus.put(groupKey(r.path("metric"), m.group(2)), r.path("value").get(1).asDouble());
            }
            Map<String, Double> after = ownAggregate(m);
            if (before.equals(after)) {
                if (before.equals(fromPrometheus)) {
                    return null;
                }
                mismatch = "Prometheus " + fromPrometheus + ", the engines' own /metrics " + before;
            }
            Thread.sleep(400);
        }
        return mismatch;
    }

    /**
     * Null when the cross-pod answer equals the same aggregation over Prometheus' per-engine samples
     * at one evaluation time, and those samples come from every engine; otherwise the mismatch.
     */
    private String compareWithPerEngineSamples(String expr, Matcher m, Set<String> targets) throws Exception {
        String verdict = null;
        // One failed scrape on a loaded machine makes a target's series stale for a moment (as for
        // the per-pod panels above): ask again, at a fresh evaluation time.
        for (int attempt = 0; attempt < 5; attempt++) {
            verdict = comparePerEngineSamplesOnce(expr, m, targets);
            if (verdict == null) {
                return null;
            }
            Thread.sleep(1000);
        }
        return verdict;
    }

    private String comparePerEngineSamplesOnce(String expr, Matcher m, Set<String> targets) throws Exception {
        String at = String.format(java.util.Locale.ROOT, "%.3f", System.currentTimeMillis() / 1000.0 - 1);
        Map<String, Double> fromAggregate = new TreeMap<>();
        for (JsonNode r : resultAt(expr, at)) {
            fromAggregate.put(groupKey(r.path("metric"), m.group(2)), r.path("value").get(1).asDouble());
        }
        Map<String, Double> fromSamples = new TreeMap<>();
        Set<String> seen = new TreeSet<>();
        for (JsonNode r : resultAt(m.group(3) + "{" + m.group(4) + "}", at)) {
            seen.add(r.path("metric").path("instance").asText());
            double v = r.path("value").get(1).asDouble();
            fromSamples.merge(groupKey(r.path("metric"), m.group(2)), v, switch (m.group(1)) {
                case "sum" -> Double::sum;
                case "max" -> Math::max;
                default -> Math::min;
            });
        }
        if (!seen.equals(targets)) {
            return "per-engine samples at " + at + " came from " + seen + ", engines are " + targets;
        }
        return fromAggregate.equals(fromSamples) ? null
                : "Prometheus " + fromAggregate + ", its per-engine samples at " + at + " aggregate to " + fromSamples;
    }

    private JsonNode resultAt(String promql, String at) throws Exception {
        return Grafana.JSON.readTree(fleet.prometheus().get("/api/v1/query?time=" + at + "&query="
                + java.net.URLEncoder.encode(promql, java.nio.charset.StandardCharsets.UTF_8))).path("data").path("result");
    }

    /** The aggregation of a SIMPLE_AGGREGATE match computed from the engines' own scrapes, per group. */
    private Map<String, Double> ownAggregate(Matcher m) throws Exception {
        String op = m.group(1);
        String by = m.group(2);
        String metric = m.group(3);
        List<String[]> matchers = new ArrayList<>();
        Matcher mm = MATCHER.matcher(m.group(4));
        while (mm.find()) {
            matchers.add(new String[] {mm.group(1), mm.group(2), mm.group(3)});
        }
        Map<String, Double> out = new TreeMap<>();
        for (EngineProcess e : fleet.engines()) {
            for (Scrape.Sample s : e.scrape().find(metric)) {
                if (!matches(s, e, matchers)) {
                    continue;
                }
                String key = groupKey(s.labels(), by);
                out.merge(key, s.value(), switch (op) {
                    case "sum" -> Double::sum;
                    case "max" -> Math::max;
                    default -> Math::min;
                });
            }
        }
        return out;
    }

    /** Label matchers as Prometheus applies them; job and instance are the target's. */
    private static boolean matches(Scrape.Sample s, EngineProcess e, List<String[]> matchers) {
        for (String[] mt : matchers) {
            String value = switch (mt[0]) {
                case "job" -> EngineFleet.JOB;
                case "instance" -> e.target();
                default -> s.labels().getOrDefault(mt[0], "");
            };
            boolean ok = switch (mt[1]) {
                case "=" -> value.equals(mt[2]);
                case "!=" -> !value.equals(mt[2]);
                case "=~" -> value.matches(mt[2]);
                default -> !value.matches(mt[2]);
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static String groupKey(Map<String, String> labels, String by) {
        if (by == null) {
            return "{}";
        }
        StringBuilder sb = new StringBuilder("{");
        for (String l : by.split(",")) {
            sb.append(l.trim()).append('=').append(labels.getOrDefault(l.trim(), "")).append(';');
        }
        return sb.append('}').toString();
    }

    private static String groupKey(JsonNode metric, String by) {
        Map<String, String> labels = new TreeMap<>();
        metric.properties().forEach(f -> labels.put(f.getKey(), f.getValue().asText()));
        return groupKey(labels, by);
    }

    @Test
    @Order(4)
    void fleetRenewalRateRuleIsTheSumOfTheEnginesOwnRates() throws Exception {
        // rate(...[1m]) at the end of the engines' own minute: both cover the same 60 s (to a scrape
        // or two), which matters when a loaded machine makes the executors catch up in bursts.
        if (System.nanoTime() - countersSince > Duration.ofSeconds(62).toNanos()) {
            countersSince = System.nanoTime(); // the checks before took longer than a minute: start a fresh one
            countersAtStart = ownCounter();
        }
        long wait = Duration.ofSeconds(60).toNanos() - (System.nanoTime() - countersSince);
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000);
        }
        double[] own1 = ownCounter();
        double seconds = (System.nanoTime() - countersSince) / 1e9;
        double[] rates = new double[ENGINES];
        for (int i = 0; i < ENGINES; i++) {
            rates[i] = (own1[i] - countersAtStart[i]) / seconds;
        }
        double recorded = fleet.scalar("yawl:heartbeat_throughput_per_sec:rate1m");
        String what = "engines' own renewal rates " + java.util.Arrays.toString(rates) + "/s (sum " + sum(rates)
                + "), yawl:heartbeat_throughput_per_sec:rate1m " + recorded;
        System.err.println("MultiEngineFleetLiveTest: " + what);
        assertTrue(Math.abs(recorded - sum(rates)) <= 0.2 * sum(rates), what + context());
        assertTrue(recorded > 1.3 * max(rates), "a sum, not the busiest engine: " + what);
    }

    private double[] ownCounter() throws Exception {
        double[] out = new double[ENGINES];
        for (int i = 0; i < ENGINES; i++) {
            out[i] = fleet.engines().get(i).scrape().sum("yawl_heartbeat_executor_task_count_total");
        }
        return out;
    }

    @Test
    @Order(5)
    void breakingOneEnginesEtcdFiresThePerPodAlertForThatEngineOnly() throws Exception {
        assertTrue(fleet.query("ALERTS{alertname=\"" + PER_POD_ALERT + "\"}").isEmpty(), "healthy fleet: "
                + fleet.query("ALERTS") + context());
        EngineProcess faulted = fleet.engines().get(1);
        fleet.cutEtcd(1, true);
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            Map<Map<String, String>, Double> firing = Map.of();
            while (firing.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(500);
                firing = fleet.query("ALERTS{alertname=\"" + PER_POD_ALERT + "\", alertstate=\"firing\"}");
            }
            assertTrue(!firing.isEmpty(), PER_POD_ALERT + " never fired; alerts: " + fleet.query("ALERTS") + context());
            Thread.sleep(3000); // the healthy engines had as long to go wrong too
            Set<String> pods = new TreeSet<>();
            Set<String> instances = new TreeSet<>();
            for (Map<String, String> a : fleet.query("ALERTS{alertname=\"" + PER_POD_ALERT + "\"}").keySet()) {
                pods.add(String.valueOf(a.get("pod")));
                instances.add(String.valueOf(a.get("instance")));
            }
            assertEquals(Set.of(faulted.pod()), pods, "the per-pod alert names exactly the faulted engine");
            assertEquals(Set.of(faulted.target()), instances);
            Scrape s = faulted.scrape();
            assertTrue(s.sum("yawl_heartbeat_renewal_success_total", "outcome", "error")
                    + s.sum("yawl_heartbeat_renewal_success_total", "outcome", "timeout") > 0, "the faulted engine saw failures");
            for (EngineProcess e : fleet.engines()) {
                if (e != faulted) {
                    double failed = fleet.scalar("sum(rate(yawl_heartbeat_renewal_success_total{pod=\"" + e.pod() + "\", outcome!=\"success\"}[10s]))");
                    assertTrue(Double.isNaN(failed) || failed == 0, e.pod() + " kept renewing: " + failed);
                }
            }
        } finally {
            fleet.cutEtcd(1, false);
        }
    }
}
