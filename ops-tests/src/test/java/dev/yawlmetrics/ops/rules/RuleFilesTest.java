package dev.yawlmetrics.ops.rules;

import dev.yawlmetrics.testsupport.Tools;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** rules/*.yml: promtool's own checks and unit tests, plus the linter checks and the metadata every alert needs. */
class RuleFilesTest {

    /** Twice the longest scrape interval of the shipped prometheus.yml (30s there). */
    static long minWindowSeconds() {
        Object global = ((Map<?, ?>) OpsFiles.yaml(OpsFiles.rulesDir().resolve("prometheus.yml")).get("global")).get("scrape_interval");
        String s = String.valueOf(global);
        long seconds = s.endsWith("m") ? Long.parseLong(s.replace("m", "")) * 60 : Long.parseLong(s.replace("s", ""));
        return 2 * seconds;
    }

    @Test
    void promtoolAcceptsEveryRuleFile() throws Exception {
        Path promtool = Tools.require("promtool", "prometheus");
        List<Object> args = new ArrayList<>(List.of(promtool, "check", "rules"));
        args.addAll(OpsFiles.ruleFiles());
        Cmd r = Cmd.run(OpsFiles.rulesDir(), args.toArray());
        assertTrue(r.ok(), r.output());
        assertTrue(r.output().contains("SUCCESS: 22 rules found"), r.output());
    }

    @Test
    void promtoolAcceptsPrometheusYml() throws Exception {
        Cmd r = Cmd.run(OpsFiles.rulesDir(), Tools.require("promtool", "prometheus"), "check", "config", "prometheus.yml");
        assertTrue(r.ok(), r.output());
    }

    /** The one-engine config the README points to: valid, the shipped rules, the engine job on the agent's default port. */
    @Test
    void promtoolAcceptsPrometheusLocalYml() throws Exception {
        Cmd r = Cmd.run(OpsFiles.rulesDir(), Tools.require("promtool", "prometheus"), "check", "config", "prometheus-local.yml");
        assertTrue(r.ok(), r.output());
        assertTrue(r.output().contains("SUCCESS: 2 rule files found"), r.output());
        String text = OpsFiles.read(OpsFiles.rulesDir().resolve("prometheus-local.yml"));
        assertTrue(text.contains("job_name: 'yawl-engine'") && text.contains("localhost:9464"), text);
    }

    @Test
    void promtoolUnitTestsPass() throws Exception {
        Path promtool = Tools.require("promtool", "prometheus");
        Path tests = OpsFiles.rulesDir().resolve("tests");
        Cmd r = Cmd.run(tests, promtool, "test", "rules", "alerts_test.yml", "recording_test.yml");
        assertTrue(r.ok(), r.output());
        assertEquals(2, r.output().split("SUCCESS", -1).length - 1, r.output());
    }

    @Test
    void everyExpressionPassesTheLinter() {
        long min = minWindowSeconds();
        List<String> problems = new ArrayList<>();
        for (OpsFiles.Rule rule : OpsFiles.rules()) {
            for (String p : PromQl.problems(rule.expr(), rule.alert(), min)) {
                problems.add(rule.file() + " " + rule.name() + ": " + p);
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void everyAlertHasSeverityComponentSummaryDescriptionAndARunbookSection() {
        Set<String> headings = new HashSet<>(OpsFiles.runbookHeadings());
        List<String> problems = new ArrayList<>();
        for (OpsFiles.Rule a : OpsFiles.alerts()) {
            if (!Set.of("critical", "warning").contains(a.labels().get("severity"))) {
                problems.add(a.name() + ": severity " + a.labels().get("severity"));
            }
            if (a.labels().getOrDefault("component", "").isBlank()) {
                problems.add(a.name() + ": no component");
            }
            for (String key : List.of("summary", "description")) {
                if (a.annotations().getOrDefault(key, "").isBlank()) {
                    problems.add(a.name() + ": no " + key);
                }
            }
            String expected = "docs/runbooks.md#" + a.name().toLowerCase();
            if (!expected.equals(a.annotations().get("runbook_url"))) {
                problems.add(a.name() + ": runbook_url " + a.annotations().get("runbook_url") + ", expected " + expected);
            }
            if (!headings.contains(a.name())) {
                problems.add(a.name() + ": no '## " + a.name() + "' section in docs/runbooks.md");
            }
        }
        assertEquals(List.of(), problems);
    }

    /**
     * Annotations may only use labels the alert really carries (its expected labels in the unit
     * test): a $labels.instance on an alert aggregated by cluster renders as an empty string.
     */
    @Test
    @SuppressWarnings("unchecked")
    void annotationsUseOnlyLabelsTheAlertCarries() {
        Map<String, Set<String>> carried = new java.util.HashMap<>();
        for (Map<String, Object> t : (List<Map<String, Object>>) OpsFiles.yaml(OpsFiles.rulesDir().resolve("tests/alerts_test.yml")).get("tests")) {
            for (Map<String, Object> art : (List<Map<String, Object>>) t.get("alert_rule_test")) {
                for (Map<String, Object> e : (List<Map<String, Object>>) art.get("exp_alerts")) {
                    carried.computeIfAbsent((String) art.get("alertname"), k -> new TreeSet<>())
                            .addAll(((Map<String, Object>) e.get("exp_labels")).keySet());
                }
            }
        }
        List<String> problems = new ArrayList<>();
        for (OpsFiles.Rule a : OpsFiles.alerts()) {
            for (Map.Entry<String, String> ann : a.annotations().entrySet()) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\$labels\\.(\\w+)").matcher(ann.getValue());
                while (m.find()) {
                    if (!carried.getOrDefault(a.name(), Set.of()).contains(m.group(1))) {
                        problems.add(a.name() + "." + ann.getKey() + " uses $labels." + m.group(1));
                    }
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    /** The engine job scrapes the agent's own endpoint (Setting PORT/PATH defaults), not the design's actuator. */
    @Test
    @SuppressWarnings("unchecked")
    void engineJobScrapesTheAgentEndpoint() {
        Map<String, Object> engine = ((List<Map<String, Object>>) OpsFiles.yaml(OpsFiles.rulesDir().resolve("prometheus.yml")).get("scrape_configs"))
                .stream().filter(sc -> "yawl-engine".equals(sc.get("job_name"))).findFirst().orElseThrow();
        assertEquals("/metrics", engine.get("metrics_path"));
        assertEquals(9464, ((List<Map<String, Object>>) engine.get("dns_sd_configs")).get(0).get("port"));
    }

    /** job="..." selectors in rules and runbooks name jobs that prometheus.yml really has. */
    @Test
    @SuppressWarnings("unchecked")
    void jobSelectorsNameJobsOfPrometheusYml() {
        Set<String> jobs = new TreeSet<>();
        for (Map<String, Object> sc : (List<Map<String, Object>>) OpsFiles.yaml(OpsFiles.rulesDir().resolve("prometheus.yml")).get("scrape_configs")) {
            jobs.add((String) sc.get("job_name"));
        }
        List<String> exprs = new ArrayList<>(OpsFiles.runbookSnippets());
        OpsFiles.rules().forEach(r -> exprs.add(r.expr()));
        Set<String> unknown = new TreeSet<>();
        for (String e : exprs) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\bjob\\s*=\\s*\"([^\"]*)\"").matcher(e);
            while (m.find()) {
                if (!jobs.contains(m.group(1))) {
                    unknown.add(m.group(1));
                }
            }
        }
        assertEquals(Set.of(), unknown, "jobs of prometheus.yml: " + jobs);
        assertTrue(jobs.containsAll(List.of("yawl-engine", "etcd", "node", "alertmanager")), jobs.toString());
    }

    @Test
    void alertNamesAreUniqueAndRecordingNamesFollowLevelMetricOperations() {
        List<String> names = OpsFiles.rules().stream().map(OpsFiles.Rule::name).toList();
        assertEquals(names.size(), new HashSet<>(names).size(), "duplicate rule names: " + names);
        for (OpsFiles.Rule r : OpsFiles.recordings()) {
            assertTrue(r.name().matches("yawl:[a-z0-9_]+(:[a-z0-9_]+)?"), r.name());
        }
    }

    /** The design's twelve alerts and the five extras of sections 1.1-1.8 (one merged), plus the agent's own two. */
    @Test
    void theDesignsAlertsAreAllThere() {
        Set<String> names = new TreeSet<>(OpsFiles.alerts().stream().map(OpsFiles.Rule::name).toList());
        assertEquals(new TreeSet<>(List.of("HeartbeatExecutorLatencyHigh", "HeartbeatSuccessRateLow", "MarketplaceQueryLatencyHigh",
                "LiveAgentCountDropped", "DiscoveryBackoffSustained", "AgentReconnectStormDetected", "EtcdQueryLatencyHigh",
                "EtcdReplicationLagHigh", "EtcdNoLeader", "JVMGCPauseTimeHigh", "JVMHeapPressure", "HTTPClientQueueBuilding",
                "AgentBackoffStuck", "HTTPClientTimeoutRate", "DiscoveryThunderingHerd", "NetworkBandwidthHigh",
                "YawlMetricsAgentDown", "YawlMetricsInstrumentationNotApplied",
                // the project's own finding (issue 17): the executor, not etcd, falls behind at scale
                "HeartbeatRenewalLate", "HeartbeatExecutorFallingBehind",
                // one engine pod's renewals failing, which the cluster-wide ratio hides (issue 18)
                "HeartbeatFailingOnPod",
                // descriptors of the engine JVM near its limit (issue 13)
                "JVMFileDescriptorsNearLimit")), names);
    }

    /** Every alert has a firing case (non-empty exp_alerts) and a silent series; every recording rule a value check. */
    @Test
    @SuppressWarnings("unchecked")
    void everyRuleIsCoveredByAPromtoolUnitTest() {
        Map<String, Integer> firing = new java.util.HashMap<>();
        for (Map<String, Object> t : (List<Map<String, Object>>) OpsFiles.yaml(OpsFiles.rulesDir().resolve("tests/alerts_test.yml")).get("tests")) {
            List<Map<String, Object>> inputs = (List<Map<String, Object>>) t.get("input_series");
            for (Map<String, Object> art : (List<Map<String, Object>>) t.get("alert_rule_test")) {
                List<Map<String, Object>> exp = (List<Map<String, Object>>) art.get("exp_alerts");
                if (exp != null && !exp.isEmpty()) {
                    // The firing series and at least one more (the just-under-threshold one) in the same test.
                    assertTrue(inputs.size() > exp.size(), "no silent series in the test of " + art.get("alertname"));
                    for (Map<String, Object> e : exp) {
                        assertTrue(((Map<String, Object>) e.get("exp_annotations")).containsKey("summary"), "annotations of " + art.get("alertname"));
                    }
                    firing.merge((String) art.get("alertname"), 1, Integer::sum);
                }
            }
        }
        Set<String> missing = new TreeSet<>();
        for (OpsFiles.Rule a : OpsFiles.alerts()) {
            if (!firing.containsKey(a.name())) {
                missing.add(a.name());
            }
        }
        String recordingTests = OpsFiles.read(OpsFiles.rulesDir().resolve("tests/recording_test.yml"));
        for (OpsFiles.Rule r : OpsFiles.recordings()) {
            if (!recordingTests.contains("expr: " + r.name()) && !recordingTests.contains("expr: \"" + r.name())) {
                missing.add(r.name());
            }
        }
        assertEquals(Set.of(), missing, "rules without a promtool unit test");
    }
}
