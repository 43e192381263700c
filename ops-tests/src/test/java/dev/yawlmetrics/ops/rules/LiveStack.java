package dev.yawlmetrics.ops.rules;

import dev.yawlmetrics.testsupport.AgentJvm;
import dev.yawlmetrics.testsupport.EtcdServer;
import dev.yawlmetrics.testsupport.NodeExporter;
import dev.yawlmetrics.testsupport.ExternalProcess;
import dev.yawlmetrics.testsupport.FreePorts;
import dev.yawlmetrics.testsupport.PrometheusServer;
import dev.yawlmetrics.testsupport.Tools;
import org.yaml.snakeyaml.Yaml;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A real Prometheus on loopback that scrapes the agent JVM, a real etcd and (when installed) node
 * exporter, and loads the SHIPPED rule files unchanged. Only this test config is fast: 1s scrape and
 * evaluation intervals (the shipped rules set no group interval, so they follow it).
 */
final class LiveStack implements AutoCloseable {
    final EtcdServer etcd;
    final NodeExporter node;
    final AgentJvm engine;
    final PrometheusServer prometheus;

    private LiveStack(EtcdServer etcd, NodeExporter node, AgentJvm engine, PrometheusServer prometheus) {
        this.etcd = etcd;
        this.node = node;
        this.engine = engine;
        this.prometheus = prometheus;
    }

    /** Starts etcd and node exporter, then the engine from {@code engineStarter}, then Prometheus. */
    static LiveStack start(EngineStarter engineStarter) throws Exception {
        EtcdServer etcd = EtcdServer.startNew();
        NodeExporter node = null;
        AgentJvm engine = null;
        try {
            Optional<Path> nodeBinary = Tools.find("prometheus-node-exporter");
            if (nodeBinary.isPresent()) {
                node = NodeExporter.start();
            } else {
                System.err.println("LiveStack: prometheus-node-exporter not installed; node_* metrics come from rules/external-metrics.txt only");
            }
            engine = engineStarter.start(etcd);
            PrometheusServer prometheus = PrometheusServer.start(config(engine, etcd, node));
            return new LiveStack(etcd, node, engine, prometheus);
        } catch (Throwable t) {
            if (engine != null) {
                engine.close();
            }
            if (node != null) {
                node.close();
            }
            etcd.close();
            throw t;
        }
    }

    interface EngineStarter {
        AgentJvm start(EtcdServer etcd) throws Exception;
    }

    static String config(AgentJvm engine, EtcdServer etcd, NodeExporter node) {
        return config(engine, List.of(etcd), node, null);
    }

    /** The test configuration with every member of an etcd cluster scraped and, when given, an Alertmanager ("host:port"). */
    static String config(AgentJvm engine, List<EtcdServer> etcd, NodeExporter node, String alertmanager) {
        StringBuilder sb = new StringBuilder();
        sb.append("global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n  evaluation_interval: 1s\n")
                .append("  external_labels:\n    cluster: live-test\n");
        if (alertmanager != null) {
            sb.append("alerting:\n  alertmanagers:\n    - static_configs:\n        - targets: ['").append(alertmanager).append("']\n");
        }
        sb.append("rule_files:\n");
        for (Path f : OpsFiles.ruleFiles()) {
            sb.append("  - '").append(f).append("'\n");
        }
        sb.append("scrape_configs:\n");
        sb.append("  - job_name: yawl-engine\n    metrics_path: ").append(engine.metricsPath())
                .append("\n    static_configs:\n      - targets: ['127.0.0.1:").append(engine.port()).append("']\n");
        sb.append("  - job_name: etcd\n    static_configs:\n      - targets: [")
                .append(String.join(", ", etcd.stream().map(e -> "'127.0.0.1:" + e.clientPort() + "'").toList()))
                .append("]\n        labels:\n          etcd_cluster: live-test\n");
        if (node != null) {
            sb.append("  - job_name: node\n    static_configs:\n      - targets: ['").append(node.target()).append("']\n");
        }
        return sb.toString();
    }

    /** GETs an API path and returns its "data" member, failing on a non-success status. */
    Object api(String pathAndQuery) throws Exception {
        return data(prometheus.get(pathAndQuery), pathAndQuery);
    }

    Object query(String promql) throws Exception {
        return api("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    }

    @SuppressWarnings("unchecked")
    static Object data(String json, String what) {
        // JSON is YAML: snakeyaml reads Prometheus' answers without another dependency.
        Map<String, Object> m = (Map<String, Object>) new Yaml().load(json);
        if (!"success".equals(m.get("status"))) {
            throw new AssertionError(what + " answered " + json);
        }
        return m.get("data");
    }

    /** Every rule of /api/v1/rules as (name, health, lastError). */
    @SuppressWarnings("unchecked")
    List<String[]> ruleHealth() throws Exception {
        List<String[]> out = new ArrayList<>();
        Map<String, Object> data = (Map<String, Object>) api("/api/v1/rules");
        for (Map<String, Object> g : (List<Map<String, Object>>) data.get("groups")) {
            for (Map<String, Object> r : (List<Map<String, Object>>) g.get("rules")) {
                out.add(new String[] {(String) r.get("name"), (String) r.get("health"), String.valueOf(r.getOrDefault("lastError", ""))});
            }
        }
        return out;
    }

    /** Alerts Prometheus holds now (pending or firing), as "name state". */
    @SuppressWarnings("unchecked")
    List<String> alerts() throws Exception {
        List<String> out = new ArrayList<>();
        Map<String, Object> data = (Map<String, Object>) api("/api/v1/alerts");
        for (Map<String, Object> a : (List<Map<String, Object>>) data.get("alerts")) {
            out.add(((Map<String, Object>) a.get("labels")).get("alertname") + " " + a.get("state"));
        }
        return out;
    }

    static <T> T await(Duration timeout, String what, ThrowingSupplier<T> probe, Predicate<T> done) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = probe.get();
        while (!done.test(last)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + "; last: " + last);
            }
            Thread.sleep(250);
            last = probe.get();
        }
        return last;
    }

    interface ThrowingSupplier<T> {
        T get() throws Exception;
    }

    @Override
    public void close() throws Exception {
        try {
            prometheus.close();
        } finally {
            try {
                engine.close();
            } finally {
                try {
                    if (node != null) {
                        node.close();
                    }
                } finally {
                    etcd.close();
                }
            }
        }
    }
}
