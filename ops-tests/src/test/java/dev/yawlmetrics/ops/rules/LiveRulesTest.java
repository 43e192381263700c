package dev.yawlmetrics.ops.rules;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shipped rules in a real Prometheus scraping the agent (Workload), a real etcd and node exporter:
 * every rule evaluates without error, every runbook query runs, and every metric name used by rules,
 * runbooks and dashboards exists in the live scrape or in rules/external-metrics.txt.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LiveRulesTest {
    private LiveStack stack;

    @BeforeAll
    void start() throws Exception {
        stack = LiveStack.start(Workload::startEngine);
        // A few scrapes of every target and a few rule evaluations.
        LiveStack.await(Duration.ofSeconds(60), "3 scrapes of every target",
                () -> stack.query("min(count_over_time(up[1m])) >= 3 and min(up) == 1"), d -> !((List<?>) ((Map<?, ?>) d).get("result")).isEmpty());
    }

    @AfterAll
    void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void everyRuleEvaluatesWithoutError() throws Exception {
        int expected = OpsFiles.rules().size();
        List<String[]> health = LiveStack.await(Duration.ofSeconds(30), "every rule evaluated",
                stack::ruleHealth, rules -> rules.size() == expected && rules.stream().noneMatch(r -> r[1].equals("unknown")));
        List<String> bad = new ArrayList<>();
        for (String[] r : health) {
            if (!r[1].equals("ok")) {
                bad.add(r[0] + " health=" + r[1] + " " + r[2]);
            }
        }
        assertEquals(List.of(), bad);
        assertEquals(expected, health.size());
    }

    @Test
    void everyRunbookQueryRuns() throws Exception {
        List<String> failures = new ArrayList<>();
        for (String snippet : OpsFiles.runbookSnippets()) {
            try {
                stack.query(snippet);
            } catch (AssertionError e) {
                failures.add(e.getMessage());
            }
        }
        assertEquals(List.of(), failures);
    }

    /** The self-monitoring alert's expression against the agent's real self-metrics. */
    @Test
    @SuppressWarnings("unchecked")
    void instrumentationNotAppliedSelectsExactlyTheEnabledButUnappliedOnes() throws Exception {
        String expr = OpsFiles.alerts().stream().filter(a -> a.name().equals("YawlMetricsInstrumentationNotApplied"))
                .findFirst().orElseThrow().expr();
        Set<String> selected = new TreeSet<>();
        for (Map<String, Object> r : (List<Map<String, Object>>) ((Map<String, Object>) stack.query(expr)).get("result")) {
            selected.add(((Map<String, String>) r.get("metric")).get("instrumentation"));
        }
        dev.yawlmetrics.testsupport.Scrape s = stack.engine.scrape();
        Set<String> expected = new TreeSet<>();
        for (dev.yawlmetrics.testsupport.Scrape.Sample e : s.find("yawl_metrics_agent_instrumentation_enabled")) {
            String name = e.labels().get("instrumentation");
            if (e.value() == 1 && s.value("yawl_metrics_agent_instrumentation_applied", "instrumentation", name) == 0) {
                expected.add(name);
            }
        }
        assertEquals(expected, selected);
        assertTrue(!selected.contains("marketplace"), "the workload's marketplace is instrumented: " + selected);
    }

    /** Fails until every instrumentation the rules read is exported by the workload (after integration). */
    @Test
    @SuppressWarnings("unchecked")
    void everyMetricNameUsedExistsLiveOrIsDocumentedAsExternal() throws Exception {
        Set<String> live = new HashSet<>((List<String>) stack.api("/api/v1/label/__name__/values"));
        Set<String> external = new HashSet<>(OpsFiles.externalMetrics());
        // Series Prometheus synthesises itself: ALERTS exists only while an alert is pending or firing.
        external.addAll(List.of("ALERTS", "ALERTS_FOR_STATE"));
        Map<String, Set<String>> missing = new TreeMap<>();
        Map<String, List<String>> sources = Map.of(
                "rules", OpsFiles.rules().stream().map(OpsFiles.Rule::expr).toList(),
                "runbooks", OpsFiles.runbookSnippets(),
                "dashboards", OpsFiles.dashboardExprs());
        sources.forEach((where, exprs) -> {
            for (String e : exprs) {
                for (String name : PromQl.metricNames(e)) {
                    // node_* names are checked live whenever node exporter is installed (it is under test.sh).
                    boolean nodeSkipped = stack.node == null && name.startsWith("node_");
                    if (!name.contains(":") && !live.contains(name) && !external.contains(name) && !nodeSkipped) {
                        missing.computeIfAbsent(name, k -> new TreeSet<>()).add(where);
                    }
                }
            }
        });
        assertEquals(Map.of(), missing, "metric names neither in the live scrape nor in rules/external-metrics.txt"
                + " (a renamed metric, or a Workload that does not exercise the instrumentation exporting it: see Workload.java)");
    }

    /** What rate()/increase() read must be a counter or histogram according to the exporter's own TYPE. */
    @Test
    @SuppressWarnings("unchecked")
    void rateOnlyOverCountersAccordingToLiveMetadata() throws Exception {
        Map<String, List<Map<String, Object>>> metadata = (Map<String, List<Map<String, Object>>>) stack.api("/api/v1/metadata");
        List<String> exprs = new ArrayList<>(OpsFiles.runbookSnippets());
        OpsFiles.rules().forEach(r -> exprs.add(r.expr()));
        Set<String> wrong = new TreeSet<>();
        int checked = 0;
        for (String e : exprs) {
            for (String name : PromQl.counterFunctionArguments(e)) {
                String base = name.replaceAll("_(bucket|count|sum)$", "");
                List<Map<String, Object>> m = metadata.containsKey(name) ? metadata.get(name) : metadata.get(base);
                if (m == null) {
                    continue; // not exported by this workload: the name check reports it
                }
                checked++;
                String type = String.valueOf(m.get(0).get("type"));
                if (!Set.of("counter", "histogram", "summary").contains(type)) {
                    wrong.add(name + " is a " + type);
                }
            }
        }
        assertEquals(Set.of(), wrong);
        System.err.println("LiveRulesTest: " + checked + " rate()/increase() arguments checked against live TYPE metadata");
    }
}
