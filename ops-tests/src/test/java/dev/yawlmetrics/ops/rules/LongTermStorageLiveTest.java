package dev.yawlmetrics.ops.rules;

import dev.yawlmetrics.ops.support.FleetWorkload;
import dev.yawlmetrics.testsupport.AgentJvm;
import dev.yawlmetrics.testsupport.EtcdServer;
import dev.yawlmetrics.testsupport.PrometheusServer;
import dev.yawlmetrics.testsupport.VictoriaMetricsServer;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Long-term storage on an existing engine: a real Prometheus evaluates the shipped recording.yml
 * over the fleet simulator with the agent and remote-writes with the shipped
 * rules/prometheus-remote-write.yml (only the URL changed) to a real VictoriaMetrics. There: exactly
 * the downsampled series the example keeps arrive (no raw series, no per-pod JVM series), each
 * with the sender's {@code cluster}; their samples are Prometheus' samples, timestamp for
 * timestamp; the live-agent count equals the engine's own; and the store answers the PromQL a
 * 365-day dashboard sends (a p95 from the 1h bucket rates).
 */
class LongTermStorageLiveTest {
    static final String CLUSTER = "lts-test";
    /** What a 365-day view cannot do without (docs/long-term-storage.md). */
    static final List<String> YEAR_VIEW = List.of("yawl:agent_count:5m", "yawl:agent_count:1h", "yawl:agent_count:max1h",
            "yawl:heartbeat_latency_p95:5m", "yawl:heartbeat_latency_p95:1h", "yawl:heartbeat_latency_ms_bucket:rate1h",
            "yawl:heartbeat_renewals_per_sec:rate1h", "yawl:heartbeat_success_ratio:rate1h",
            "yawl:marketplace_query_latency_ms_bucket:rate1h", "yawl:marketplace_query_latency_p95:1h");

    @SuppressWarnings("unchecked")
    static String prometheusConfig(AgentJvm engine, String writeUrl) {
        Map<String, Object> example = OpsFiles.yaml(OpsFiles.rulesDir().resolve("prometheus-remote-write.yml"));
        List<Map<String, Object>> remoteWrite = (List<Map<String, Object>>) example.get("remote_write");
        assertEquals(1, remoteWrite.size(), "one remote_write in the example");
        remoteWrite.get(0).put("url", writeUrl);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("global", Map.of("scrape_interval", "1s", "scrape_timeout", "1s", "evaluation_interval", "1s",
                "external_labels", Map.of("cluster", CLUSTER)));
        config.put("rule_files", List.of(OpsFiles.rulesDir().resolve("recording.yml").toString()));
        config.put("scrape_configs", List.of(Map.of("job_name", FleetWorkload.JOB, "metrics_path", engine.metricsPath(),
                "static_configs", List.of(Map.of("targets", List.of("127.0.0.1:" + engine.port()))))));
        config.put("remote_write", remoteWrite);
        DumperOptions block = new DumperOptions();
        block.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        return new Yaml(block).dump(config);
    }

    /** The example's write_relabel_configs applied to a metric name, as Prometheus applies keep/drop on __name__. */
    @SuppressWarnings("unchecked")
    static boolean shipped(String name) {
        Map<String, Object> example = OpsFiles.yaml(OpsFiles.rulesDir().resolve("prometheus-remote-write.yml"));
        for (Map<String, Object> r : (List<Map<String, Object>>) ((List<Map<String, Object>>) example.get("remote_write")).get(0).get("write_relabel_configs")) {
            assertEquals(List.of("__name__"), r.get("source_labels"));
            boolean matches = name.matches((String) r.get("regex"));
            if (r.get("action").equals("keep") != matches) {
                return false;
            }
        }
        return true;
    }

    @Test
    void remoteWriteExampleIsAValidPrometheusConfig() throws Exception {
        Cmd r = Cmd.run(OpsFiles.rulesDir(), dev.yawlmetrics.testsupport.Tools.require("promtool", "prometheus"),
                "check", "config", "prometheus-remote-write.yml");
        assertTrue(r.ok(), r.output());
        assertTrue(shipped("yawl:agent_count:1h") && shipped("yawl:heartbeat_latency_ms_bucket:rate5m"));
        assertTrue(!shipped("yawl_marketplace_live_agents_count") && !shipped("yawl:jvm_gc_pause_seconds_bucket:rate5m")
                && !shipped("yawl:heartbeat_throughput_per_sec:rate1m"), "raw, per-pod and 1m series stay in the cluster");
    }

    @Test
    @SuppressWarnings("unchecked")
    void downsampledRulesReachVictoriaMetricsAndReadBackAsPrometheusRecordedThem() throws Exception {
        try (VictoriaMetricsServer vm = VictoriaMetricsServer.start();
             EtcdServer etcd = EtcdServer.startNew();
             AgentJvm engine = FleetWorkload.start(etcd);
             PrometheusServer prometheus = PrometheusServer.start(prometheusConfig(engine, vm.writeUrl()))) {
            // Recorded series Prometheus holds, and the ones the example lets out.
            Set<String> recorded = LiveStack.await(Duration.ofSeconds(60), "the recording rules to produce the year-view series",
                    () -> names(prometheus.query("group by (__name__) ({__name__=~\"yawl:.+\"})")),
                    n -> n.containsAll(YEAR_VIEW));
            Set<String> expected = new TreeSet<>();
            recorded.forEach(n -> {
                if (shipped(n)) {
                    expected.add(n);
                }
            });
            assertTrue(recorded.stream().anyMatch(n -> !shipped(n)), "the example keeps some series home: " + recorded);

            // Rules start recording one after the other: compare once both sides have settled.
            List<Set<String>> sides = LiveStack.await(Duration.ofSeconds(60), "VictoriaMetrics to hold every shipped series", () -> {
                vm.flush();
                Set<String> shippedNow = new TreeSet<>();
                names(prometheus.query("group by (__name__) ({__name__=~\"yawl:.+\"})")).forEach(n -> {
                    if (shipped(n)) {
                        shippedNow.add(n);
                    }
                });
                return List.of(shippedNow, names(vm.query("group by (__name__) ({__name__=~\".+\"})")));
            }, both -> both.get(0).equals(both.get(1)) && both.get(0).containsAll(expected));
            Set<String> stored = sides.get(1);
            assertEquals(sides.get(0), stored, "VictoriaMetrics holds exactly the series the remote_write example keeps");
            System.err.println("LongTermStorageLiveTest: " + recorded.size() + " recorded series names in Prometheus, "
                    + stored.size() + " shipped to VictoriaMetrics: " + stored + "; series there: "
                    + LiveStack.data(vm.query("count({__name__=~\".+\"})"), "count"));

            // Every stored series carries the sender's cluster and nothing per pod.
            Map<String, Object> labelsAnswer = (Map<String, Object>) LiveStack.data(vm.query("{__name__=~\"yawl:.+\"}"), "series");
            for (Map<String, Object> r : (List<Map<String, Object>>) labelsAnswer.get("result")) {
                Map<String, String> metric = (Map<String, String>) r.get("metric");
                assertEquals(CLUSTER, metric.get("cluster"), metric.toString());
                assertTrue(!metric.containsKey("instance") && !metric.containsKey("pod"), "per-pod series left the cluster: " + metric);
            }

            // Same samples, timestamp for timestamp, and the engine's own figure.
            Map<Long, Double>[] both = new Map[2];
            Set<Long> shared = LiveStack.await(Duration.ofSeconds(30), "five samples in both stores", () -> {
                vm.flush();
                both[0] = rangeSamples(prometheus.query("yawl:agent_count:5m[60s]"));
                both[1] = exportSamples(vm.get("/api/v1/export?match[]=" + URLEncoder.encode("yawl:agent_count:5m", StandardCharsets.UTF_8)));
                Set<Long> common = new TreeSet<>(both[0].keySet());
                common.retainAll(both[1].keySet());
                return common;
            }, common -> common.size() >= 5);
            Map<Long, Double> inPrometheus = both[0];
            Map<Long, Double> inVm = both[1];
            for (long t : shared) {
                assertEquals(inPrometheus.get(t), inVm.get(t), "sample at " + t);
            }
            double own = engine.scrape().sum("yawl_marketplace_live_agents_count");
            double latest = inVm.get(((TreeSet<Long>) new TreeSet<>(inVm.keySet())).last());
            assertEquals(own, latest, "the stored fleet count is the engine's own live count");
            assertTrue(own > 0);

            // A 365-day panel's query, answered by the store from the 1h bucket rates.
            List<Map<String, Object>> p95 = (List<Map<String, Object>>) ((Map<String, Object>) LiveStack.data(
                    vm.query("histogram_quantile(0.95, sum by (le) (yawl:heartbeat_latency_ms_bucket:rate1h))"), "p95")).get("result");
            assertEquals(1, p95.size(), p95.toString());
            double v = Double.parseDouble((String) ((List<Object>) p95.get(0).get("value")).get(1));
            assertTrue(v > 0 && v < 10_000, "heartbeat p95 from the stored 1h buckets: " + v);
        }
    }

    @SuppressWarnings("unchecked")
    static Set<String> names(String json) {
        Set<String> out = new TreeSet<>();
        Map<String, Object> data = (Map<String, Object>) LiveStack.data(json, "names");
        for (Map<String, Object> r : (List<Map<String, Object>>) data.get("result")) {
            out.add(((Map<String, String>) r.get("metric")).get("__name__"));
        }
        return out;
    }

    /** A range-vector answer of one series: timestamp (ms) to value. */
    @SuppressWarnings("unchecked")
    static Map<Long, Double> rangeSamples(String json) {
        Map<Long, Double> out = new TreeMap<>();
        List<Map<String, Object>> result = (List<Map<String, Object>>) ((Map<String, Object>) LiveStack.data(json, "range")).get("result");
        assertEquals(1, result.size(), json);
        for (List<Object> v : (List<List<Object>>) result.get(0).get("values")) {
            out.put(Math.round(((Number) v.get(0)).doubleValue() * 1000), Double.parseDouble((String) v.get(1)));
        }
        return out;
    }

    /** VictoriaMetrics' /api/v1/export: one JSON line per series, {"values":[...],"timestamps":[...]}. */
    @SuppressWarnings("unchecked")
    static Map<Long, Double> exportSamples(String jsonLines) {
        Map<Long, Double> out = new TreeMap<>();
        int series = 0;
        for (String line : jsonLines.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            series++;
            Map<String, Object> s = new Yaml().load(line);
            List<Object> values = (List<Object>) s.get("values");
            List<Object> timestamps = (List<Object>) s.get("timestamps");
            for (int i = 0; i < values.size(); i++) {
                out.put(((Number) timestamps.get(i)).longValue(), ((Number) values.get(i)).doubleValue());
            }
        }
        assertEquals(1, series, jsonLines);
        return out;
    }
}
