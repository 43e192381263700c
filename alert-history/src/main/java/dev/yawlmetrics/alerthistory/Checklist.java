package dev.yawlmetrics.alerthistory;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The design's Part 6 checklists as one command: every item is measured from Prometheus, Alertmanager
 * or the alert history where the metrics can answer it, and otherwise printed as "not measurable
 * here" with the reason. One line per item; exit 0 only when no measurable item fails.
 */
final class Checklist {
    enum Status { PASS, FAIL, NOT_MEASURABLE }

    record Result(Status status, String detail) {
        static Result pass(String detail) {
            return new Result(Status.PASS, detail);
        }

        static Result fail(String detail) {
            return new Result(Status.FAIL, detail);
        }

        static Result notHere(String why) {
            return new Result(Status.NOT_MEASURABLE, why);
        }
    }

    interface Check {
        Result run() throws Exception;
    }

    record Item(String list, String name, Check check) {}

    static final String DAY1 = "day1";
    static final String H24 = "24h";
    static final String WEEKLY = "weekly";

    /** The design's thresholds (Part 6). */
    static final double HEARTBEAT_SUCCESS_MIN = 0.995;
    static final double MARKETPLACE_P95_MAX_MS = 10;
    static final double GC_PAUSE_P99_MAX_S = 0.5;
    static final double BANDWIDTH_MAX_MBPS = 50;
    static final double RECONNECTS_PER_5M_MAX = 0.001;
    static final double P1_MTTR_MAX_S = 300;
    static final double FALSE_POSITIVE_MAX = 0.05;

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String NO_CLUSTER = "not measurable here: needs the Kubernetes cluster (kubectl), which this command does not reach";

    private final String prometheus;
    private final String alertmanager;
    private final String history;
    private final String historyPassword;

    Checklist(String prometheus, String alertmanager, String history, String historyPassword) {
        this.prometheus = strip(prometheus);
        this.alertmanager = alertmanager == null ? null : strip(alertmanager);
        this.history = history;
        this.historyPassword = historyPassword;
    }

    private static String strip(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    static int run(Map<String, String> o, PrintStream out, PrintStream err) throws IOException {
        try {
            Main.known(o, "prometheus", "alertmanager", "history", "db-password-file", DAY1, H24, WEEKLY);
            String prom = o.get("prometheus");
            if (prom == null || !(prom.startsWith("http://") || prom.startsWith("https://"))) {
                throw new IllegalArgumentException("--prometheus http(s)://HOST:PORT is required");
            }
            String am = o.get("alertmanager");
            if (am != null && !(am.startsWith("http://") || am.startsWith("https://"))) {
                throw new IllegalArgumentException("--alertmanager must be an http(s) URL, not " + am);
            }
            String jdbc = o.get("history");
            if (jdbc != null && !jdbc.startsWith("jdbc:postgresql:")) {
                throw new IllegalArgumentException("--history must be a jdbc:postgresql: URL, not " + jdbc);
            }
            for (String flag : List.of(DAY1, H24, WEEKLY)) {
                if (o.containsKey(flag) && !o.get(flag).isEmpty()) {
                    throw new IllegalArgumentException("--" + flag + " takes no value");
                }
            }
            Set<String> lists = new LinkedHashSet<>();
            for (String flag : List.of(DAY1, H24, WEEKLY)) {
                if (o.containsKey(flag)) {
                    lists.add(flag);
                }
            }
            if (lists.isEmpty()) {
                lists.addAll(List.of(DAY1, H24, WEEKLY));
            }
            return new Checklist(prom, am, jdbc, Main.password(o)).print(lists, out);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.print(Main.USAGE);
            return 2;
        }
    }

    int print(Set<String> lists, PrintStream out) {
        int failed = 0;
        int passed = 0;
        int notHere = 0;
        for (Item item : items()) {
            if (!lists.contains(item.list())) {
                continue;
            }
            Result r;
            try {
                r = item.check().run();
            } catch (Exception e) {
                r = Result.fail("could not measure: " + e.getMessage());
            }
            String word = switch (r.status()) {
                case PASS -> "pass";
                case FAIL -> "FAIL";
                case NOT_MEASURABLE -> "n/a ";
            };
            switch (r.status()) {
                case PASS -> passed++;
                case FAIL -> failed++;
                case NOT_MEASURABLE -> notHere++;
            }
            out.printf(Locale.ROOT, "%s  %-6s  %s: %s%n", word, item.list(), item.name(), r.detail());
        }
        out.printf(Locale.ROOT, "%d passed, %d failed, %d not measurable here%n", passed, failed, notHere);
        return failed == 0 ? 0 : 1;
    }

    List<Item> items() {
        List<Item> items = new ArrayList<>();
        // Checklist 1: pre-production validation (Day 1)
        items.add(new Item(DAY1, "Prometheus scrape targets all up", this::targetsUp));
        items.add(new Item(DAY1, "shipped alert rules loaded and healthy", this::rulesLoaded));
        items.add(new Item(DAY1, "Grafana datasource connects", () -> Result.notHere("not measurable here: needs Grafana; "
                + "ops-tests' DashboardQueriesLiveTest proves the dashboards' queries against a live Prometheus")));
        items.add(new Item(DAY1, "all 6 dashboards imported", () -> Result.notHere("not measurable here: needs Grafana's API")));
        items.add(new Item(DAY1, "Alertmanager reachable with the expected receivers", this::alertmanagerRouting));
        items.add(new Item(DAY1, "alerting channel test (e-mail/Slack)", () -> Result.notHere(
                "not measurable here: a person must see the test page arrive (amtool alert add TestAlert severity=critical)")));
        items.add(new Item(DAY1, "etcd cluster healthy", this::etcdHealthy));
        items.add(new Item(DAY1, "agents deployed (kubectl get pods -l app=yawl-engine)", () -> Result.notHere(NO_CLUSTER)));
        items.add(new Item(DAY1, "every enabled instrumentation applied", this::instrumentationApplied));
        items.add(new Item(DAY1, "live agent count not falling over 5 min", this::agentCountRising));
        items.add(new Item(DAY1, "no critical alert firing", this::noCriticalFiring));
        // Checklist 2: 24-hour stability window
        items.add(new Item(H24, "heartbeat success > 99.5% over 24h", this::heartbeatSuccess));
        items.add(new Item(H24, "marketplace query p95 < 10ms over 24h", this::marketplaceP95));
        items.add(new Item(H24, "GC pause p99 < 500ms over 24h", this::gcPauseP99));
        items.add(new Item(H24, "zero pod restarts in 24h", () -> kubeCounter("kube_pod_container_status_restarts_total", "pod restarts")));
        items.add(new Item(H24, "zero OOMKilled in 24h", this::oomKilled));
        items.add(new Item(H24, "etcd stable (zero leader changes in 24h)", this::etcdLeaderChanges));
        items.add(new Item(H24, "network bandwidth < 50 Mbps average over 24h", this::bandwidth));
        items.add(new Item(H24, "agent reconnect rate < 0.1% per 5 min", this::reconnectRate));
        // Checklist 3: weekly health review
        items.add(new Item(WEEKLY, "MTTR < 5 min for P1 incidents", this::p1Mttr));
        items.add(new Item(WEEKLY, "alert false-positive rate < 5%", this::falsePositiveRate));
        items.add(new Item(WEEKLY, "cost trending vs baseline", () -> Result.notHere("not measurable here: needs the cloud bill")));
        items.add(new Item(WEEKLY, "capacity headroom < 80% on critical metrics", () -> Result.notHere(
                "not measurable here: needs the deployment's limits (pod requests, etcd quota), which the metrics do not carry")));
        items.add(new Item(WEEKLY, "team training (recent incident reviews)", () -> Result.notHere("not measurable here: a people process")));
        items.add(new Item(WEEKLY, "runbooks updated", () -> Result.notHere("not measurable here: a people process")));
        return items;
    }

    // ---- Checklist 1 ----

    private Result targetsUp() throws Exception {
        JsonNode targets = api(prometheus + "/api/v1/targets?state=active").path("activeTargets");
        if (targets.isEmpty()) {
            return Result.fail("Prometheus has no active targets");
        }
        List<String> down = new ArrayList<>();
        for (JsonNode t : targets) {
            if (!"up".equals(t.path("health").asText())) {
                down.add(t.path("labels").path("job").asText() + " " + t.path("scrapeUrl").asText() + " (" + t.path("health").asText() + ")");
            }
        }
        return down.isEmpty() ? Result.pass(targets.size() + "/" + targets.size() + " up")
                : Result.fail((targets.size() - down.size()) + "/" + targets.size() + " up; down: " + String.join(", ", down));
    }

    private Result rulesLoaded() throws Exception {
        Set<String> shipped = shippedAlerts();
        Set<String> loaded = new TreeSet<>();
        List<String> unhealthy = new ArrayList<>();
        for (JsonNode g : api(prometheus + "/api/v1/rules?type=alert").path("groups")) {
            for (JsonNode r : g.path("rules")) {
                String name = r.path("name").asText();
                loaded.add(name);
                if (!"ok".equals(r.path("health").asText())) {
                    unhealthy.add(name + " (" + r.path("health").asText() + " " + r.path("lastError").asText("") + ")");
                }
            }
        }
        Set<String> missing = new TreeSet<>(shipped);
        missing.removeAll(loaded);
        if (!missing.isEmpty() || !unhealthy.isEmpty()) {
            return Result.fail((shipped.size() - missing.size()) + "/" + shipped.size() + " shipped alerts loaded"
                    + (missing.isEmpty() ? "" : "; missing: " + missing) + (unhealthy.isEmpty() ? "" : "; unhealthy: " + unhealthy));
        }
        return Result.pass(shipped.size() + "/" + shipped.size() + " shipped alerts loaded, all evaluated ok");
    }

    private Result alertmanagerRouting() throws Exception {
        if (alertmanager == null) {
            return Result.notHere("not measurable here: no --alertmanager URL given");
        }
        JsonNode status = getJson(alertmanager + "/api/v2/status");
        String config = status.path("config").path("original").asText();
        Set<String> expected = shippedReceivers();
        Set<String> missing = new TreeSet<>();
        for (String receiver : expected) {
            if (!Pattern.compile("(?m)^\\s*- name:\\s*['\"]?" + Pattern.quote(receiver) + "['\"]?\\s*$").matcher(config).find()) {
                missing.add(receiver);
            }
        }
        int sending = api(prometheus + "/api/v1/alertmanagers").path("activeAlertmanagers").size();
        if (!missing.isEmpty()) {
            return Result.fail("receivers missing from the running configuration: " + missing);
        }
        if (sending == 0) {
            return Result.fail("Alertmanager is up, but Prometheus sends alerts to no Alertmanager");
        }
        return Result.pass("receivers " + expected + " configured; Prometheus sends to " + sending + " Alertmanager(s)");
    }

    private Result etcdHealthy() throws Exception {
        Double members = scalar("count(etcd_server_has_leader)");
        if (members == null) {
            return Result.fail("no etcd_server_has_leader series: etcd is not scraped");
        }
        double withLeader = orZero(scalar("count(etcd_server_has_leader == 1)"));
        double scrapedUp = orZero(scalar("count(up{job=~\".*etcd.*\"} == 1)"));
        double scraped = orZero(scalar("count(up{job=~\".*etcd.*\"})"));
        String measured = fmt(withLeader) + "/" + fmt(members) + " members see a leader, " + fmt(scrapedUp) + "/" + fmt(scraped) + " scraped";
        return withLeader == members && scrapedUp == scraped ? Result.pass(measured) : Result.fail(measured);
    }

    private Result instrumentationApplied() throws Exception {
        Double enabled = scalar("count(yawl_metrics_agent_instrumentation_enabled == 1)");
        if (enabled == null) {
            return Result.fail("no yawl_metrics_agent_instrumentation_enabled series: no engine with the agent is scraped");
        }
        List<String> notApplied = labels("(yawl_metrics_agent_instrumentation_enabled == 1) unless on (job, instance, instrumentation) "
                + "(yawl_metrics_agent_instrumentation_applied == 1)", "instrumentation");
        return notApplied.isEmpty() ? Result.pass(fmt(enabled) + " enabled instrumentations, all applied")
                : Result.fail("enabled but not applied: " + new TreeSet<>(notApplied));
    }

    private Result agentCountRising() throws Exception {
        Double now = scalar("sum(yawl_marketplace_live_agents_count)");
        if (now == null || now == 0) {
            return Result.fail("no live agents (yawl_marketplace_live_agents_count " + (now == null ? "absent" : "0") + ")");
        }
        Double before = scalar("sum(yawl_marketplace_live_agents_count offset 5m)");
        if (before == null) {
            Double earliest = scalar("sum(min_over_time(yawl_marketplace_live_agents_count[5m]))");
            before = earliest == null ? now : earliest;
        }
        String measured = fmt(before) + " -> " + fmt(now) + " live agents over 5 min";
        return now >= before ? Result.pass(measured) : Result.fail(measured);
    }

    private Result noCriticalFiring() throws Exception {
        List<String> firing = labels("ALERTS{alertstate=\"firing\", severity=\"critical\"}", "alertname");
        return firing.isEmpty() ? Result.pass("none firing") : Result.fail("firing: " + new TreeSet<>(firing));
    }

    // ---- Checklist 2 ----

    private Result heartbeatSuccess() throws Exception {
        Double ratio = scalar("sum(increase(yawl_heartbeat_renewal_success_total{outcome=\"success\"}[24h])) "
                + "/ sum(increase(yawl_heartbeat_renewal_success_total[24h]))");
        if (ratio == null || ratio.isNaN()) {
            return Result.fail("no heartbeat renewals recorded in 24h (yawl_heartbeat_renewal_success_total)");
        }
        String measured = pct(ratio) + " of renewals succeeded";
        return ratio > HEARTBEAT_SUCCESS_MIN ? Result.pass(measured) : Result.fail(measured + " (needs > 99.5%)");
    }

    private Result marketplaceP95() throws Exception {
        Double p95 = scalar("histogram_quantile(0.95, sum by (le) (increase(yawl_marketplace_query_latency_ms_bucket[24h])))");
        if (p95 == null || p95.isNaN()) {
            return Result.fail("no marketplace queries recorded in 24h (yawl_marketplace_query_latency_ms)");
        }
        return below(p95, MARKETPLACE_P95_MAX_MS, "p95 " + fmt(p95) + " ms", "needs < 10 ms");
    }

    private Result gcPauseP99() throws Exception {
        Double p99 = scalar("histogram_quantile(0.99, sum by (le) (increase(jvm_gc_pause_seconds_bucket[24h])))");
        if (p99 == null) {
            return Result.fail("no jvm_gc_pause_seconds histogram scraped");
        }
        if (p99.isNaN()) {
            return Result.pass("no GC pause in 24h");
        }
        return below(p99, GC_PAUSE_P99_MAX_S, "p99 " + fmt(p99 * 1000) + " ms", "needs < 500 ms");
    }

    private Result kubeCounter(String metric, String what) throws Exception {
        if (scalar("count(" + metric + ")") == null) {
            return Result.notHere("not measurable here: no " + metric + " series (kube-state-metrics is not scraped by this Prometheus)");
        }
        double n = orZero(scalar("sum(increase(" + metric + "[24h]))"));
        return n == 0 ? Result.pass("0 " + what) : Result.fail(fmt(n) + " " + what);
    }

    private Result oomKilled() throws Exception {
        String metric = "kube_pod_container_status_last_terminated_reason";
        if (scalar("count(" + metric + ")") == null) {
            return Result.notHere("not measurable here: no " + metric + " series (kube-state-metrics is not scraped by this Prometheus)");
        }
        double n = orZero(scalar("count(max_over_time(" + metric + "{reason=\"OOMKilled\"}[24h]) == 1)"));
        return n == 0 ? Result.pass("0 containers OOMKilled") : Result.fail(fmt(n) + " containers OOMKilled");
    }

    private Result etcdLeaderChanges() throws Exception {
        Double n = scalar("max(increase(etcd_server_leader_changes_seen_total[24h]))");
        if (n == null) {
            return Result.fail("no etcd_server_leader_changes_seen_total series: etcd is not scraped");
        }
        long changes = Math.round(n);
        return changes == 0 ? Result.pass("0 leader changes") : Result.fail(changes + " leader changes (needs 0)");
    }

    private Result bandwidth() throws Exception {
        String devices = "device!~\"lo|veth.*|docker.*|br-.*|cali.*|flannel.*|cni.*|virbr.*\"";
        if (scalar("count(node_network_transmit_bytes_total{" + devices + "})") == null) {
            return Result.notHere("not measurable here: no node exporter series (node_network_*_bytes_total) in this Prometheus");
        }
        // rate() over 24h averages over the samples there are when the history is shorter.
        Double mbps = scalar("max(sum by (instance) (rate(node_network_transmit_bytes_total{" + devices + "}[24h]) "
                + "+ rate(node_network_receive_bytes_total{" + devices + "}[24h]))) * 8 / 1e6");
        if (mbps == null || mbps.isNaN()) {
            return Result.fail("node exporter series present but no rate computable yet");
        }
        return below(mbps, BANDWIDTH_MAX_MBPS, "busiest node " + fmt(mbps) + " Mbps average (in + out)", "needs < 50");
    }

    private Result reconnectRate() throws Exception {
        Double agents = scalar("sum(yawl_marketplace_live_agents_count)");
        if (agents == null || agents == 0) {
            return Result.fail("no live agents to relate reconnects to (yawl_marketplace_live_agents_count)");
        }
        if (scalar("count(yawl_agent_reconnect_count_total)") == null) {
            return Result.fail("no yawl_agent_reconnect_count_total series: the agents' reconnects are not instrumented here");
        }
        Double worst = scalar("max_over_time((sum(increase(yawl_agent_reconnect_count_total[5m])) "
                + "/ sum(yawl_marketplace_live_agents_count))[24h:1m])");
        double ratio = worst == null || worst.isNaN() ? 0 : worst;
        return below(ratio, RECONNECTS_PER_5M_MAX, "worst 5 min: " + pct(ratio) + " of agents reconnected", "needs < 0.1%");
    }

    // ---- Checklist 3 ----

    private Result p1Mttr() throws Exception {
        if (history == null) {
            return Result.notHere("not measurable here: no --history JDBC URL given (the alert-history database)");
        }
        try (Connection c = history(); PreparedStatement p = c.prepareStatement(
                "SELECT resolved_incidents, mttr_seconds FROM alert_history.mttr_per_severity WHERE priority = 'P1'");
             ResultSet r = p.executeQuery()) {
            if (!r.next()) {
                return Result.pass("no resolved P1 incident in the history");
            }
            double mttr = r.getDouble(2);
            return below(mttr, P1_MTTR_MAX_S, "MTTR " + fmt(mttr) + " s over " + r.getLong(1) + " resolved P1 incidents", "needs < 300 s");
        }
    }

    /**
     * An incident that resolved within its rule's {@code for:} after it began firing is counted as a
     * false positive: the condition lasted less than twice the time the rule asks for before
     * paging, the signature of a flapping threshold rather than an outage. Silences are not
     * analysed (Alertmanager keeps them only until they expire).
     */
    private Result falsePositiveRate() throws Exception {
        if (history == null) {
            return Result.notHere("not measurable here: no --history JDBC URL given (the alert-history database)");
        }
        Map<String, Double> forSeconds = new java.util.HashMap<>();
        for (JsonNode g : api(prometheus + "/api/v1/rules?type=alert").path("groups")) {
            for (JsonNode r : g.path("rules")) {
                forSeconds.merge(r.path("name").asText(), r.path("duration").asDouble(0), Math::max);
            }
        }
        long total = 0;
        long falsePositives = 0;
        Set<String> flapping = new TreeSet<>();
        try (Connection c = history(); PreparedStatement p = c.prepareStatement(
                "SELECT alertname, extract(epoch FROM ends_at - starts_at) FROM alert_history.incident WHERE status = 'resolved'");
             ResultSet r = p.executeQuery()) {
            while (r.next()) {
                total++;
                Double forS = forSeconds.get(r.getString(1));
                if (forS != null && r.getDouble(2) < forS) {
                    falsePositives++;
                    flapping.add(r.getString(1));
                }
            }
        }
        if (total == 0) {
            return Result.pass("no resolved incident in the history");
        }
        double rate = (double) falsePositives / total;
        String measured = falsePositives + "/" + total + " resolved incidents ended within their rule's for: (" + pct(rate) + ")"
                + (flapping.isEmpty() ? "" : " " + flapping);
        return below(rate, FALSE_POSITIVE_MAX, measured, "needs < 5%");
    }

    // ---- sources ----

    private Connection history() throws SQLException {
        Properties props = new Properties();
        if (historyPassword != null) {
            props.setProperty("password", historyPassword);
        }
        props.setProperty("connectTimeout", "5");
        props.setProperty("socketTimeout", "30");
        return DriverManager.getConnection(history, props);
    }

    private JsonNode getJson(String url) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException(url + " answered " + r.statusCode() + ": " + r.body());
        }
        return WebhookPayload.JSON.readTree(r.body());
    }

    /** A Prometheus API call's "data", failing on an error status. */
    private JsonNode api(String url) throws Exception {
        JsonNode root;
        try {
            root = getJson(url);
        } catch (IOException e) {
            throw new IOException("Prometheus " + (e.getMessage() == null ? e.toString() : e.getMessage()), e);
        }
        if (!"success".equals(root.path("status").asText())) {
            throw new IOException(url + ": " + root.path("error").asText());
        }
        return root.path("data");
    }

    private JsonNode vector(String promql) throws Exception {
        return api(prometheus + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)).path("result");
    }

    /** The value of a query that returns at most one sample; null when it returns none. */
    Double scalar(String promql) throws Exception {
        JsonNode result = vector(promql);
        if (result.isEmpty()) {
            return null;
        }
        return Double.parseDouble(result.get(0).path("value").get(1).asText());
    }

    private List<String> labels(String promql, String label) throws Exception {
        List<String> out = new ArrayList<>();
        for (JsonNode s : vector(promql)) {
            out.add(s.path("metric").path(label).asText("?"));
        }
        return out;
    }

    /** The alert names of the rules/alerts.yml this jar was built with. */
    static Set<String> shippedAlerts() throws IOException {
        return shippedNames("alerts.yml", Pattern.compile("(?m)^\\s*- alert:\\s*['\"]?([A-Za-z0-9_]+)"));
    }

    /** The receivers of the rules/alertmanager.yml this jar was built with. */
    static Set<String> shippedReceivers() throws IOException {
        return shippedNames("alertmanager.yml", Pattern.compile("(?m)^\\s*- name:\\s*['\"]?([A-Za-z0-9_.-]+)"));
    }

    private static Set<String> shippedNames(String file, Pattern pattern) throws IOException {
        try (InputStream in = Checklist.class.getResourceAsStream("/shipped-rules/" + file)) {
            if (in == null) {
                throw new IOException(file + " is missing from the jar");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (file.equals("alertmanager.yml")) {
                text = text.substring(text.indexOf("\nreceivers:"));
            }
            Set<String> names = new TreeSet<>();
            Matcher m = pattern.matcher(text);
            while (m.find()) {
                names.add(m.group(1));
            }
            return names;
        }
    }

    /** Pass when the measured value is under the design's threshold; the line shows the value either way. */
    private static Result below(double value, double threshold, String measured, String needs) {
        return value < threshold ? Result.pass(measured) : Result.fail(measured + " (" + needs + ")");
    }

    private static double orZero(Double d) {
        return d == null ? 0 : d;
    }

    static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.3g", v);
    }

    static String pct(double ratio) {
        return String.format(Locale.ROOT, "%.3f%%", ratio * 100);
    }
}
