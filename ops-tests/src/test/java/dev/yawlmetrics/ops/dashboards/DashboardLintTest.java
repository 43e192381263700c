package dev.yawlmetrics.ops.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rules Grafana's dashboard linter applies (template-datasource, template-job, template-instance,
 * panel-title/description/units, target-rate-interval, target-job/instance), plus this project's:
 * quantiles only over {@code sum by (le) (rate(..._bucket[$__rate_interval]))}, {@code rate} only
 * over counters, the design's SLO lines, links between dashboards and to the runbooks.
 * Every failure is collected so one run shows them all.
 */
class DashboardLintTest {
    /** Selectors that carry no job matcher, and why (documented in dashboards/README.md). */
    static final Map<String, String> NO_JOB_MATCHER = Map.of(
            "ALERTS", "synthesised by Prometheus from its own alert rules; it has no job",
            "probe_duration_seconds", "blackbox exporter: the job is the probe module, not a scrape target of ours",
            "kubelet_volume_stats_used_bytes", "kubelet (cAdvisor) job, filtered by namespace instead",
            "kubelet_volume_stats_capacity_bytes", "kubelet (cAdvisor) job, filtered by namespace instead");

    static final Pattern RATE = Pattern.compile("\\b(i?rate|increase|deriv)\\(([a-zA-Z_:][a-zA-Z0-9_:]*)\\{[^}]*\\}\\[([^\\]]+)\\]");
    static final Pattern QUANTILE = Pattern.compile(
            "histogram_quantile\\((0\\.[0-9]+), sum by \\(([^)]*)\\) \\(rate\\(([a-zA-Z_:][a-zA-Z0-9_:]*)_bucket\\{[^}]*\\}\\[\\$__rate_interval\\]\\)\\)\\)");
    static final Pattern HEALTHY = Pattern.compile("(?i)healthy|target|slo|expected|typical");

    final List<String> problems = new ArrayList<>();

    void check(boolean ok, String problem) {
        if (!ok) {
            problems.add(problem);
        }
    }

    void assertNoProblems() {
        assertTrue(problems.isEmpty(), problems.size() + " lint problems:\n  " + String.join("\n  ", problems));
    }

    static JsonNode variable(JsonNode d, String name) {
        for (JsonNode v : d.path("templating").path("list")) {
            if (v.path("name").asText().equals(name)) {
                return v;
            }
        }
        return null;
    }

    @Test
    void templateVariables() {
        for (var e : DashboardFiles.load().entrySet()) {
            JsonNode d = e.getValue();
            JsonNode ds = variable(d, "datasource");
            check(ds != null && ds.path("type").asText().equals("datasource") && ds.path("query").asText().equals("prometheus"),
                    e.getKey() + ": needs a Prometheus data source variable named datasource");
            for (String name : List.of("cluster", "job", "instance")) {
                JsonNode v = variable(d, name);
                check(v != null && v.path("type").asText().equals("query") && v.path("multi").asBoolean()
                        && v.path("includeAll").asBoolean() && v.path("allValue").asText().equals(".*"),
                        e.getKey() + ": needs a multi-value '" + name + "' variable with All = .*");
            }
        }
        assertNoProblems();
    }

    @Test
    void panelsHaveTitleDescriptionAndUnit() {
        for (var e : DashboardFiles.load().entrySet()) {
            Set<String> titles = new HashSet<>();
            for (JsonNode p : DashboardFiles.panels(e.getValue())) {
                String where = e.getKey() + " '" + p.path("title").asText() + "'";
                check(!p.path("title").asText().isBlank(), e.getKey() + ": panel " + p.path("id") + " without title");
                check(titles.add(p.path("title").asText()), where + ": duplicate title");
                if (DashboardFiles.isRow(p)) {
                    continue;
                }
                String desc = p.path("description").asText();
                check(desc.length() >= 40, where + ": description missing or too short");
                check(HEALTHY.matcher(desc).find(), where + ": description does not say what healthy looks like");
                String unit = p.path("fieldConfig").path("defaults").path("unit").asText();
                check(!unit.isBlank(), where + ": no unit");
                String t = p.path("title").asText().toLowerCase();
                if (t.contains("latency") || t.contains("pause time") || t.contains("duration") || t.contains("lateness")
                        || t.contains("sync time") || t.contains("sleep time")) {
                    check(unit.equals("ms") || unit.equals("s"), where + ": a duration panel needs ms or s, has " + unit);
                }
                if (t.contains("%") || t.contains("rate (") || t.contains("utilisation") || t.contains("usage (%")) {
                    check(unit.startsWith("percent"), where + ": a percentage panel needs percent/percentunit, has " + unit);
                }
            }
        }
        assertNoProblems();
    }

    @Test
    void ratesUseRateIntervalAndCounters() {
        for (var e : DashboardFiles.load().entrySet()) {
            for (DashboardFiles.Query q : DashboardFiles.queries(e.getKey(), e.getValue())) {
                Matcher m = RATE.matcher(q.expr());
                while (m.find()) {
                    String fn = m.group(1);
                    String metric = m.group(2);
                    String window = m.group(3);
                    if (fn.equals("rate") || fn.equals("irate")) {
                        check(window.equals("$__rate_interval"), q + ": " + fn + " must use [$__rate_interval], has [" + window + "]");
                    } else {
                        check(Set.of("$__rate_interval", "$__range", "24h").contains(window), q + ": " + fn + " window [" + window + "]");
                    }
                    if (!fn.equals("deriv")) {
                        check(metric.matches(".*_(total|count|sum|bucket)"), q + ": " + fn + " over " + metric + ", which is not a counter");
                    }
                }
                check(!q.expr().matches(".*\\b(i?rate|increase)\\((?![a-zA-Z_:][a-zA-Z0-9_:]*\\{).*"), q + ": rate over something other than a selector");
            }
        }
        assertNoProblems();
    }

    @Test
    void quantilesOnlyFromSumByLeOfRates() {
        for (var e : DashboardFiles.load().entrySet()) {
            for (DashboardFiles.Query q : DashboardFiles.queries(e.getKey(), e.getValue())) {
                String expr = q.expr();
                int quantiles = expr.split("histogram_quantile\\(", -1).length - 1;
                Matcher m = QUANTILE.matcher(expr);
                int good = 0;
                while (m.find()) {
                    List<String> by = List.of(m.group(2).split(",\\s*"));
                    check(by.contains("le"), q + ": quantile not grouped by le");
                    good++;
                }
                check(good == quantiles, q + ": histogram_quantile must read histogram_quantile(q, sum by (le, ...) (rate(x_bucket{...}[$__rate_interval])))");
                int buckets = expr.split("_bucket\\{", -1).length - 1;
                check(buckets == good, q + ": raw _bucket outside a quantile");
            }
        }
        assertNoProblems();
    }

    @Test
    void everySelectorFiltersClusterAndJob() {
        for (var e : DashboardFiles.load().entrySet()) {
            for (DashboardFiles.Query q : DashboardFiles.queries(e.getKey(), e.getValue())) {
                if (q.where().startsWith("variable")) {
                    continue;
                }
                for (String[] s : DashboardFiles.selectors(q.expr())) {
                    String metric = s[0];
                    String matchers = s[1];
                    if (NO_JOB_MATCHER.containsKey(metric)) {
                        continue;
                    }
                    check(matchers.contains("cluster=~\"$cluster\""), q + ": " + metric + " without cluster matcher");
                    check(matchers.matches(".*job=~\"\\$[a-z_]*job\".*"), q + ": " + metric + " without job variable matcher");
                    if (metric.startsWith("yawl_") || metric.startsWith("jvm_") || metric.startsWith("process_")) {
                        check(matchers.contains("job=~\"$job\"") && matchers.contains("instance=~\"$instance\""),
                                q + ": agent metric " + metric + " must filter job=~\"$job\" and instance=~\"$instance\"");
                    }
                }
            }
        }
        assertNoProblems();
    }

    /** The design's SLO lines and colour thresholds, on the panels that show them. */
    @Test
    void sloLinesAndThresholds() {
        Map<String, JsonNode> all = DashboardFiles.load();
        slo(all, "yawl-heartbeat", "Heartbeat latency (p50, p95, p99)", 100, "ms");
        slo(all, "yawl-heartbeat", "Heartbeat success rate", 0.995, "percentunit");
        slo(all, "yawl-overview", "Heartbeat success rate", 0.995, "percentunit");
        slo(all, "yawl-marketplace", "Marketplace query latency (p50, p95, p99)", 10, "ms");
        slo(all, "yawl-marketplace", "Index sync time (p50, p95, p99)", 100, "ms");
        slo(all, "yawl-jvm", "GC pause time (p50, p95, p99, 24 h)", 0.5, "s");
        slo(all, "yawl-jvm", "Heap usage (% of max)", 0.9, "percentunit");
        slo(all, "yawl-jvm", "Heap usage (% of max)", 0.75, "percentunit");
        slo(all, "yawl-jvm", "Heap usage (% of max)", 0.85, "percentunit");
        slo(all, "yawl-etcd", "etcd query latency by type (p50, p95, p99)", 100, "ms");
        slo(all, "yawl-etcd", "HTTP request latency (p50, p95, p99)", 500, "ms");
        slo(all, "yawl-etcd", "HTTP requests in flight and pending", 500, "short");
        slo(all, "yawl-marketplace", "Backoff cycles and level (max over agents)", 5, "short");
        slo(all, "yawl-marketplace", "Polling load reduction (%)", 80, "percent");
        slo(all, "yawl-kubernetes", "Pod restarts (24 h)", 4, "short");
        slo(all, "yawl-etcd", "Replication (apply) lag per member (24 h)", 0.5, "s");
        slo(all, "yawl-etcd", "Bandwidth utilisation (% of link)", 0.8, "percentunit");
        assertNoProblems();
    }

    void slo(Map<String, JsonNode> all, String uid, String title, double value, String unit) {
        JsonNode panel = null;
        for (JsonNode p : DashboardFiles.panels(all.get(uid))) {
            if (p.path("title").asText().equals(title)) {
                panel = p;
            }
        }
        if (panel == null) {
            problems.add(uid + ": missing panel '" + title + "'");
            return;
        }
        JsonNode defaults = panel.path("fieldConfig").path("defaults");
        check(defaults.path("unit").asText().equals(unit), uid + " '" + title + "': unit " + defaults.path("unit") + ", expected " + unit);
        boolean found = false;
        for (JsonNode step : defaults.path("thresholds").path("steps")) {
            found |= !step.path("value").isNull() && Math.abs(step.path("value").asDouble() - value) < 1e-9;
        }
        check(found, uid + " '" + title + "': no threshold at " + value);
        if (panel.path("type").asText().equals("timeseries")) {
            check(!defaults.path("custom").path("thresholdsStyle").path("mode").asText().equals("off"),
                    uid + " '" + title + "': SLO threshold not drawn as a line");
        }
    }

    @Test
    void overviewLinksToEveryDeepDiveAndBack() {
        Map<String, JsonNode> all = DashboardFiles.load();
        String overview = all.get(YawlDashboards.OVERVIEW).toString();
        for (String uid : List.of(YawlDashboards.HEARTBEAT, YawlDashboards.MARKETPLACE, YawlDashboards.JVM, YawlDashboards.ETCD)) {
            check(overview.contains("/d/" + uid + "/"), "overview has no panel link to " + uid);
        }
        for (var e : all.entrySet()) {
            boolean back = false;
            boolean dropdown = false;
            for (JsonNode l : e.getValue().path("links")) {
                back |= l.path("url").asText().startsWith("/d/" + YawlDashboards.OVERVIEW + "/");
                dropdown |= l.path("type").asText().equals("dashboards") && l.path("tags").toString().contains(YawlDashboards.TAG);
            }
            check(dropdown, e.getKey() + ": no dashboards dropdown by tag " + YawlDashboards.TAG);
            check(back || e.getKey().equals(YawlDashboards.OVERVIEW), e.getKey() + ": no link back to the overview");
        }
        assertNoProblems();
    }

    /**
     * Panels of alert-relevant metrics link to the alert's runbook section; when docs/runbooks.md
     * exists, every anchor used must be one of its headings, and every dashboard link in it must
     * point at an existing dashboard and panel.
     */
    @Test
    void runbookLinksResolve() throws Exception {
        Map<String, JsonNode> all = DashboardFiles.load();
        Set<String> anchors = new HashSet<>();
        for (var e : all.entrySet()) {
            for (JsonNode p : DashboardFiles.panels(e.getValue())) {
                for (JsonNode l : p.path("links")) {
                    String url = l.path("url").asText();
                    if (url.startsWith("${runbook_base}#")) {
                        anchors.add(url.substring(url.indexOf('#') + 1));
                        check(variable(e.getValue(), "runbook_base") != null, e.getKey() + ": runbook link without runbook_base variable");
                    }
                }
            }
        }
        check(anchors.size() >= 15, "runbook links to at least 15 alerts, found " + anchors);
        Path runbooks = DashboardFiles.dir().getParent().resolve("docs/runbooks.md");
        if (Files.exists(runbooks)) {
            String md = Files.readString(runbooks);
            Set<String> headings = new HashSet<>();
            Matcher h = Pattern.compile("(?m)^#{2,3} +(.+)$").matcher(md);
            while (h.find()) {
                headings.add(h.group(1).trim().toLowerCase().replaceAll("[^a-z0-9 _-]", "").replace(' ', '-'));
            }
            for (String a : anchors) {
                check(headings.contains(a), "docs/runbooks.md has no section with anchor #" + a);
            }
            Matcher link = Pattern.compile("/d/([a-z0-9-]+)/[^)\\s?]*(?:\\?[^)\\s]*viewPanel=(\\d+))?").matcher(md);
            while (link.find()) {
                JsonNode d = all.get(link.group(1));
                check(d != null, "docs/runbooks.md links to unknown dashboard " + link.group());
                if (d != null && link.group(2) != null) {
                    int id = Integer.parseInt(link.group(2));
                    check(DashboardFiles.panels(d).stream().anyMatch(p -> p.path("id").asInt() == id && !DashboardFiles.isRow(p)),
                            "docs/runbooks.md links to missing panel " + link.group());
                }
            }
        } else {
            System.err.println("DashboardLintTest: docs/runbooks.md not present on this branch; runbook anchors not cross-checked: " + anchors);
        }
        assertNoProblems();
    }

    @Test
    void timeRangesFollowTheDesign() {
        Map<String, JsonNode> all = DashboardFiles.load();
        for (var e : all.entrySet()) {
            String expected = e.getKey().equals(YawlDashboards.KUBERNETES) ? "now-24h" : "now-6h";
            assertEquals(expected, e.getValue().path("time").path("from").asText(), e.getKey());
        }
        for (String[] p : new String[][] {
                {"yawl-marketplace", "Published, live and dead agents (24 h)"},
                {"yawl-jvm", "GC pause time (p50, p95, p99, 24 h)"},
                {"yawl-etcd", "Replication (apply) lag per member (24 h)"},
                {"yawl-heartbeat", "Success rate, 24 h trend"},
                {"yawl-overview", "Alert timeline (24 h)"}}) {
            JsonNode panel = DashboardFiles.panels(all.get(p[0])).stream().filter(x -> x.path("title").asText().equals(p[1])).findFirst().orElseThrow();
            assertEquals("24h", panel.path("timeFrom").asText(), p[0] + " " + p[1]);
        }
        assertFalse(problems.iterator().hasNext());
    }
}
