package dev.yawlmetrics.ops.dashboards;

import dev.yawlmetrics.ops.dashboards.Grafana.Dashboard;
import dev.yawlmetrics.ops.dashboards.Grafana.Panel;

import static dev.yawlmetrics.ops.dashboards.Grafana.map;

import java.util.ArrayList;
import java.util.List;

/**
 * The six dashboards of the design (Part 3, plus the widget lists of sections 1.1-1.8), as code.
 * {@code dashboards/*.json} is generated from here by {@link GenerateDashboards} and must
 * never be edited by hand. Metric names are the exported Prometheus names (see MetricNames);
 * quantiles are always {@code histogram_quantile(q, sum by (le) (rate(x_bucket[$__rate_interval])))}.
 */
final class YawlDashboards {
    private YawlDashboards() {}

    static final String TAG = "yawl-1m-agents";
    /** Where docs/runbooks.md is published; a hidden constant variable, set it at import. */
    static final String RUNBOOK_BASE = "https://git.company.com/yawl/yawl-metrics-agent/-/blob/main/docs/runbooks.md";

    // Selectors. Every agent query filters on cluster, job and instance.
    static final String A = "cluster=~\"$cluster\", job=~\"$job\", instance=~\"$instance\"";
    static final String E = "cluster=~\"$cluster\", job=~\"$etcd_job\"";
    static final String N = "cluster=~\"$cluster\", job=~\"$node_job\", instance=~\"$node\"";
    static final String K = "cluster=~\"$cluster\", job=~\"$job\"";
    static final String NIC = "device!~\"lo|veth.*|docker.*|br-.*|cali.*|flannel.*|cni.*|virbr.*\"";

    /** Heatmap colours fixed to 0..100 % (green low, red high) so nodes compare across time. */
    static final Object UTILISATION_COLOURS = map("mode", "scheme", "scheme", "RdYlGn", "reverse", true, "steps", 32,
            "exponent", 1, "fill", "dark-orange", "min", 0, "max", 1);

    static final String OVERVIEW = "yawl-overview";
    static final String HEARTBEAT = "yawl-heartbeat";
    static final String MARKETPLACE = "yawl-marketplace";
    static final String JVM = "yawl-jvm";
    static final String ETCD = "yawl-etcd";
    static final String KUBERNETES = "yawl-kubernetes";

    /** Every quantile panel is built through here: never raw buckets, always $__rate_interval. */
    static String q(String quantile, String histogram, String selector, String... extraBy) {
        String by = extraBy.length == 0 ? "le" : "le, " + String.join(", ", extraBy);
        return "histogram_quantile(" + quantile + ", sum by (" + by + ") (rate(" + histogram + "_bucket{" + selector
                + "}[$__rate_interval])))";
    }

    static String rate(String counter, String selector) {
        return "rate(" + counter + "{" + selector + "}[$__rate_interval])";
    }

    static String sel(String extra, String selector) {
        return extra + ", " + selector;
    }

    /** Adds p50/p95/p99 (and optionally p75) targets of one histogram. */
    static Panel quantiles(Panel p, String histogram, String selector, boolean withP75) {
        p.range(q("0.5", histogram, selector), "p50");
        if (withP75) {
            p.range(q("0.75", histogram, selector), "p75");
        }
        p.range(q("0.95", histogram, selector), "p95");
        p.range(q("0.99", histogram, selector), "p99");
        return p.quantileColours();
    }

    static String dashUrl(String uid, String slug) {
        return "/d/" + uid + "/" + slug + "?${__url_time_range}&${datasource:queryparam}&${cluster:queryparam}"
                + "&${job:queryparam}&${instance:queryparam}";
    }

    static List<Dashboard> all() {
        return List.of(overview(), heartbeat(), marketplace(), jvm(), etcdNetwork(), kubernetes());
    }

    /** Variables and links every agent dashboard shares. */
    static Dashboard agentDashboard(String uid, String title, String description, String... tags) {
        List<String> t = new ArrayList<>(List.of(TAG));
        t.addAll(List.of(tags));
        Dashboard d = new Dashboard(uid, title, description, t.toArray(String[]::new));
        d.datasourceVariable()
                .queryVariable("cluster", "Cluster", "label_values(yawl_metrics_agent_info, cluster)")
                .queryVariable("job", "Job", "label_values(yawl_metrics_agent_info{cluster=~\"$cluster\"}, job)")
                .queryVariable("instance", "Pod / instance", "label_values(yawl_metrics_agent_info{cluster=~\"$cluster\", job=~\"$job\"}, instance)")
                .constant("runbook_base", "URL of docs/runbooks.md; panel runbook links append #<alertname>", RUNBOOK_BASE);
        d.alertAnnotation("critical", "red").alertAnnotation("warning", "orange");
        if (!uid.equals(OVERVIEW)) {
            d.link("1M Agent Overview", "/d/" + OVERVIEW + "/yawl-1m-agent-overview", "Back to the summary");
        }
        d.tagLinks(TAG, "YAWL dashboards");
        return d;
    }

    static void etcdVariables(Dashboard d) {
        d.queryVariable("etcd_job", "etcd job", "label_values(etcd_server_has_leader{cluster=~\"$cluster\"}, job)");
    }

    static void nodeVariables(Dashboard d) {
        d.queryVariable("node_job", "Node exporter job", "label_values(node_uname_info{cluster=~\"$cluster\"}, job)")
                .queryVariable("node", "Node", "label_values(node_uname_info{cluster=~\"$cluster\", job=~\"$node_job\"}, instance)");
    }

    // ============================================================================ 1. Overview

    static Dashboard overview() {
        Dashboard d = agentDashboard(OVERVIEW, "YAWL 1M Agent Overview",
                "Executive summary of the 1M-agent deployment: agents online, heartbeat health, engine pods, etcd, alerts and lifecycle. Drill down through the panel links.",
                "overview");
        etcdVariables(d);

        d.row("Agent health summary");
        d.add(new Panel("stat", "Agents online")).ask("How many agents are live right now?", "D1 #1")
                .desc("Live agents (heartbeat within the marketplace's 5-minute staleness window), summed over the selected pods. Healthy: stable or growing; a drop of more than 5 % in 10 minutes pages (LiveAgentCountDropped).")
                .unit("short").decimals(0).size(6, 5)
                .range("sum(yawl_marketplace_live_agents_count{" + A + "})", "live agents")
                .colorMode("fixed").option("colorMode", "value")
                .link("Agent Marketplace & Discovery", dashUrl(MARKETPLACE, "yawl-agent-marketplace-discovery"))
                .runbook("LiveAgentCountDropped");
        d.add(new Panel("stat", "Heartbeat success rate")).ask("Are heartbeat renewals succeeding (>= 99.5 %)?", "D1 #1, D2 #3, 1.1 chart 3")
                .desc("Share of heartbeat renewals that succeeded (outcome=success over all outcomes) in the last rate interval. Healthy: at least 99.5 % (green); below pages (HeartbeatSuccessRateLow).")
                .unit("percentunit").decimals(2).size(6, 5).min(0).max(1)
                .thresholds("red", null, "yellow", 0.99, "green", 0.995)
                .range("sum(" + rate("yawl_heartbeat_renewal_success_total", sel("outcome=\"success\"", A)) + ") / sum("
                        + rate("yawl_heartbeat_renewal_success_total", A) + ")", "success rate")
                .link("Heartbeat Health", dashUrl(HEARTBEAT, "yawl-heartbeat-health"))
                .runbook("HeartbeatSuccessRateLow");
        d.add(new Panel("stat", "Engine pods healthy")).ask("Are all engine pods up and scraped?", "D1 #1")
                .desc("Engine pods whose agent endpoint Prometheus scraped successfully (up == 1), against all scraped pods. Healthy: both numbers equal.")
                .unit("short").decimals(0).size(6, 5)
                .thresholds("red", null, "green", 1)
                .range("count(up{" + A + "} == 1) or vector(0)", "healthy")
                .range("count(up{" + A + "})", "scraped")
                .link("JVM & Garbage Collection", dashUrl(JVM, "yawl-jvm-garbage-collection"))
                .runbook("YawlMetricsAgentDown");
        d.add(new Panel("stat", "etcd cluster healthy")).ask("Does the registry cluster have a leader?", "D1 #1, 1.5 chart 6")
                .desc("etcd_server_has_leader, lowest over the members: 1 when every member sees a leader. Healthy: Leader (green); NO LEADER pages (EtcdNoLeader).")
                .unit("none").size(6, 5)
                .thresholds("red", null, "green", 1)
                .valueMap(0, "NO LEADER", "red", 1, "Leader", "green")
                .range("min(etcd_server_has_leader{" + E + "})", "has leader")
                .link("etcd Registry & Network", dashUrl(ETCD, "yawl-etcd-registry-network"))
                .runbook("EtcdNoLeader");

        d.row("System status (one cell per engine pod)");
        d.add(new Panel("stat", "Engine pod status")).ask("Which pod is down or in trouble, and where do I click to see it?", "D1 #2")
                .desc("One cell per pod: 2 = OK (green), 1 = WARNING (yellow: heap above 90 % of max, or an enabled instrumentation that never applied), 0 = DOWN (red: scrape failed). Click a cell to open that pod's JVM dashboard. Healthy: all green.")
                .unit("none").size(24, 7).decimals(0)
                .thresholds("red", null, "yellow", 1, "green", 2)
                .valueMap(0, "DOWN", "red", 1, "WARNING", "yellow", 2, "OK", "green")
                .option("textMode", "value_and_name").option("graphMode", "none")
                .range("(2 * max by (instance) (up{" + A + "}) - on (instance) clamp_max("
                        + "((sum by (instance) (jvm_memory_used_bytes{" + sel("area=\"heap\"", A) + "}) / max by (instance) (jvm_memory_max_bytes{" + sel("area=\"heap\"", A) + "})) > bool 0.9)"
                        + " + on (instance) ((sum by (instance) (yawl_metrics_agent_instrumentation_enabled{" + A + "}) - sum by (instance) (yawl_metrics_agent_instrumentation_applied{" + A + "})) > bool 0)"
                        + ", 1)) or on (instance) (2 * max by (instance) (up{" + A + "}))", "{{instance}}")
                .dataLink("JVM of ${__field.labels.instance}", "/d/" + JVM + "/yawl-jvm-garbage-collection?${__url_time_range}&${datasource:queryparam}&var-instance=${__field.labels.instance}")
                .runbook("JVMHeapPressure");

        d.row("Alerts");
        d.add(new Panel("stat", "Critical alerts firing")).ask("Is anything paging right now?", "D1 #3")
                .desc("Alerts with severity=critical currently firing (Prometheus ALERTS series). Healthy: 0. Critical alerts page the on-call.")
                .unit("short").decimals(0).size(4, 6).option("graphMode", "none")
                .thresholds("green", null, "red", 1)
                .range("count(ALERTS{alertstate=\"firing\", severity=\"critical\"}) or vector(0)", "critical");
        d.add(new Panel("stat", "Warning alerts firing")).ask("How many warnings are open?", "D1 #3")
                .desc("Alerts with severity=warning currently firing. Healthy: 0; warnings go to e-mail.")
                .unit("short").decimals(0).size(4, 6).option("graphMode", "none")
                .thresholds("green", null, "yellow", 1)
                .range("count(ALERTS{alertstate=\"firing\", severity=\"warning\"}) or vector(0)", "warning");
        d.add(new Panel("timeseries", "Alert timeline (24 h)")).ask("What fired in the last 24 hours, and when?", "D1 #3")
                .desc("Which alerts were firing when, over the last 24 hours (one bar per alert and severity). Healthy: empty.")
                .unit("short").size(16, 6).timeFrom("24h").min(0)
                .custom("drawStyle", "bars").custom("fillOpacity", 80)
                .custom("stacking", map("mode", "normal", "group", "A"))
                .range("count by (alertname, severity) (ALERTS{alertstate=\"firing\"})", "{{severity}}: {{alertname}}");

        d.row("Agent lifecycle (24 h)");
        d.add(new Panel("stat", "Agents created (24 h)")).ask("How many agents were created today?", "D1 #4")
                .desc("GenericPartyAgent constructors that completed in the last 24 hours (yawl_agent_creations_total). Healthy: matches planned deployments.")
                .unit("short").decimals(0).size(6, 5).timeFrom("24h").colorMode("fixed").option("colorMode", "value")
                .range("sum(increase(yawl_agent_creations_total{" + A + "}[24h]))", "created");
        d.add(new Panel("stat", "Agents stopped (24 h)")).ask("How many agents went away today?", "D1 #4")
                .desc("Agents whose stop() completed in the last 24 hours (yawl_agent_stopped_total): the design's 'disconnected'. Healthy: low outside planned scale-downs.")
                .unit("short").decimals(0).size(6, 5).timeFrom("24h").colorMode("fixed").option("colorMode", "value")
                .range("sum(increase(yawl_agent_stopped_total{" + A + "}[24h]))", "stopped");
        d.add(new Panel("stat", "Net agent change (24 h)")).ask("Is the fleet growing or shrinking?", "D1 #4")
                .desc("Created minus stopped over the last 24 hours. Healthy: around zero in steady state, positive during roll-out; strongly negative means the fleet is shrinking.")
                .unit("short").decimals(0).size(6, 5).timeFrom("24h")
                .thresholds("red", null, "green", 0)
                .range("sum(increase(yawl_agent_creations_total{" + A + "}[24h])) - sum(increase(yawl_agent_stopped_total{" + A + "}[24h]))", "net");
        d.add(new Panel("stat", "Agent reconnects (24 h)")).ask("How often did agents have to re-register today?", "D1 #4, 1.3 chart 2")
                .desc("Registrations re-established in the last 24 hours, all reasons (heartbeat_miss, manual, discovery_restart). Healthy: a small fraction of the fleet; a storm pages (AgentReconnectStormDetected).")
                .unit("short").decimals(0).size(6, 5).timeFrom("24h").colorMode("fixed").option("colorMode", "value")
                .range("sum(increase(yawl_agent_reconnect_count_total{" + A + "}[24h]))", "reconnects")
                .runbook("AgentReconnectStormDetected");

        d.row("The agent itself");
        d.add(new Panel("table", "Instrumentations per pod")).ask("Is the agent really measuring everything it should on every pod?", "beyond design (agent self-monitoring)")
                .desc("For each pod and instrumentation: enabled by configuration, applied (its target class was loaded and transformed), and errors while recording. Healthy: every enabled instrumentation applied, no errors. Enabled but not applied means the engine class never loaded or its shape drifted (YawlMetricsInstrumentationNotApplied).")
                .unit("none").size(16, 8)
                .table("max by (instance, instrumentation) (yawl_metrics_agent_instrumentation_enabled{" + A + "})")
                .table("max by (instance, instrumentation) (yawl_metrics_agent_instrumentation_applied{" + A + "})")
                .table("sum by (instance, instrumentation) (yawl_metrics_agent_recording_errors_total{" + A + "} + yawl_metrics_agent_transformation_errors_total{" + A + "})")
                .transformation("merge", map())
                .transformation("organize", map("excludeByName", map("Time", true),
                        "renameByName", map("Value #A", "enabled", "Value #B", "applied", "Value #C", "errors")))
                .runbook("YawlMetricsInstrumentationNotApplied");
        d.add(new Panel("table", "Agent versions")).ask("Which agent version runs where?", "beyond design")
                .desc("yawl_metrics_agent_info per pod: which agent version each pod runs. Healthy: one version everywhere after a roll-out.")
                .unit("none").size(8, 8)
                .table("max by (instance, version) (yawl_metrics_agent_info{" + A + "})")
                .transformation("organize", map("excludeByName", map("Time", true, "Value", true)));
        return d;
    }

    // ============================================================================ 2. Heartbeat

    static Dashboard heartbeat() {
        Dashboard d = agentDashboard(HEARTBEAT, "YAWL Heartbeat Health",
                "Heartbeat renewals of EtcdAgentRegistryClient: latency, throughput against the expected rate, success rate, executor threads and queue, lateness and failures.",
                "heartbeat", "critical");
        d.customVariable("expected_agents", "Registered agents (expected)", "Fleet size used for the expected renewal rate",
                "1000000", "1000000", "100000", "100000", "10000", "10000", "1000", "1000");
        d.customVariable("heartbeat_period_s", "Renewal period (s)", "EtcdAgentRegistryClient.HEARTBEAT_INTERVAL_MS in seconds",
                "10", "10", "30", "30", "60", "60");

        d.row("Latency and throughput");
        quantiles(d.add(new Panel("timeseries", "Heartbeat latency (p50, p95, p99)")).ask("Are renewals fast enough (p95 < 100 ms)?", "D2 #1, 1.1 chart 1, App. C"), "yawl_heartbeat_latency_ms", A, false)
                .desc("Duration of each renewal (the scheduled lambda, including its etcd put). SLO: p95 under 100 ms (dashed line). Healthy: p95 well under 100 ms; above it for 5 minutes fires HeartbeatExecutorLatencyHigh.")
                .unit("ms").min(0).size(12, 9)
                .thresholds("green", null, "red", 100)
                .runbook("HeartbeatExecutorLatencyHigh");
        d.add(new Panel("timeseries", "Heartbeat throughput vs expected")).ask("Are all agents renewing at the rate they should, and is work queuing?", "D2 #2, 1.1 chart 2")
                .desc("Renewals executed per second (rate of yawl_heartbeat_executor_task_count_total) against the expected rate: registered agents / renewal period (variables; 1M agents at the engine's 10 s period = 100,000/s, not the design's 16,667/s which assumed 60 s). Queue depth on the right axis. Healthy: actual on the expected line, queue near 0.")
                .unit("ops").min(0).size(12, 9)
                .range("sum(" + rate("yawl_heartbeat_executor_task_count_total", A) + ")", "actual")
                .range("vector($expected_agents / $heartbeat_period_s)", "expected")
                .range("sum(yawl_heartbeat_executor_queue_depth{" + A + "})", "queue depth")
                .override("byName", "expected", "custom.lineStyle", map("fill", "dash", "dash", List.of(10, 10)), "color", Grafana.fixed("green"))
                .override("byName", "queue depth", "custom.axisPlacement", "right", "unit", "short", "color", Grafana.fixed("orange"));

        d.row("Reliability");
        d.add(new Panel("gauge", "Heartbeat success rate")).ask("Are heartbeat renewals succeeding (>= 99.5 %)?", "D1 #1, D2 #3, 1.1 chart 3")
                .desc("Successful renewals / all renewals, current. Target: above 99.5 % (green). Below 99.5 % for 5 minutes pages (HeartbeatSuccessRateLow): agents whose renewals fail drop out of the registry when their lease expires.")
                .unit("percentunit").decimals(2).min(0.95).max(1).size(6, 8)
                .thresholds("red", null, "yellow", 0.99, "green", 0.995)
                .range("sum(" + rate("yawl_heartbeat_renewal_success_total", sel("outcome=\"success\"", A)) + ") / sum("
                        + rate("yawl_heartbeat_renewal_success_total", A) + ")", "success rate")
                .runbook("HeartbeatSuccessRateLow");
        d.add(new Panel("stat", "Success rate, 24 h trend")).ask("Has the success rate held all day?", "D2 #3 (sparkline)")
                .desc("The same ratio over the last 24 hours as a sparkline. Healthy: flat at or above 99.5 %.")
                .unit("percentunit").decimals(2).min(0.95).max(1).size(6, 8).timeFrom("24h")
                .thresholds("red", null, "yellow", 0.99, "green", 0.995)
                .range("sum(" + rate("yawl_heartbeat_renewal_success_total", sel("outcome=\"success\"", A)) + ") / sum("
                        + rate("yawl_heartbeat_renewal_success_total", A) + ")", "success rate");
        d.add(new Panel("piechart", "Renewal outcomes (time range)")).ask("When renewals fail, is it timeouts or errors?", "D2 #5")
                .desc("Renewals by outcome over the selected time range: success, timeout (java.net.http timeouts of the etcd put) and error (any other exception, including etcd's HTTP 4xx/5xx). Healthy: all success.")
                .unit("short").decimals(0).size(6, 8)
                .instant("sum by (outcome) (increase(yawl_heartbeat_renewal_success_total{" + A + "}[$__range]))", "{{outcome}}")
                .override("byName", "success", "color", Grafana.fixed("green"))
                .override("byName", "timeout", "color", Grafana.fixed("orange"))
                .override("byName", "error", "color", Grafana.fixed("red"));
        d.add(new Panel("timeseries", "Renewal failures per second")).ask("When did failures start, and how many per second?", "D2 #5")
                .desc("Timeouts and errors per second by outcome. Healthy: 0. A step here with etcd healthy points to the network or the engine's lease (see the runbook).")
                .unit("ops").min(0).size(6, 8)
                .range("sum by (outcome) (" + rate("yawl_heartbeat_renewal_success_total", sel("outcome!=\"success\"", A)) + ")", "{{outcome}}")
                .runbook("HeartbeatSuccessRateLow");

        d.row("Executor");
        d.add(new Panel("stat", "Active heartbeat threads")).ask("How many threads renew heartbeats now, and at peak (< 2000)?", "D2 #4, 1.1 chart 4")
                .desc("Threads currently running renewals in the heartbeat executor (summed over pods), with the 24-hour peak of each pod, summed (an upper bound of the fleet peak). Healthy: well under 2,000 even at 1M agents (red above).")
                .unit("short").decimals(0).size(6, 8)
                .thresholds("green", null, "yellow", 1500, "red", 2000)
                .range("sum(yawl_heartbeat_executor_active_threads{" + A + "})", "current")
                .range("sum(max_over_time(yawl_heartbeat_executor_active_threads{" + A + "}[24h]))", "24 h peak (sum of pod peaks)");
        d.add(new Panel("timeseries", "Executor queue depth and active threads")).ask("Is the heartbeat executor keeping up?", "D2 #2 (queue on secondary axis), 1.1 table")
                .desc("Renewals waiting in the executor's queue and threads busy, per pod. Healthy: queue near 0. A queue that keeps growing means the executor, not etcd, is the bottleneck (renewals start late).")
                .unit("short").min(0).size(9, 8)
                .range("sum by (instance) (yawl_heartbeat_executor_queue_depth{" + A + "})", "queue {{instance}}")
                .range("sum by (instance) (yawl_heartbeat_executor_active_threads{" + A + "})", "active {{instance}}");
        quantiles(d.add(new Panel("timeseries", "Renewal lateness (p50, p95, p99)")).ask("Do renewals start on time, or will leases expire although etcd is fine?", "beyond design (issue 3)"), "yawl_heartbeat_renewal_lateness_ms", A, false)
                .desc("How late each renewal started relative to its fixed-rate schedule. Healthy: a few ms. Lateness approaching the lease TTL means agents will expire although etcd is healthy; p99 above 15 s (half the 30 s TTL) for 3 minutes pages (HeartbeatRenewalLate).")
                .unit("ms").min(0).size(9, 8)
                .thresholds("green", null, "yellow", 1000, "red", 15000)
                .runbook("HeartbeatRenewalLate");
        d.add(new Panel("timeseries", "Executor use: completed / offered renewals")).ask("Does the executor run every renewal its agents need?", "beyond design (issue 17)")
                .desc("Renewals completed per second divided by the rate offered: scheduled heartbeats (queued + running) / the engine's 10 s period, per pod. Healthy: 1 (100 %). Below 90 % with renewals starting late fires HeartbeatExecutorFallingBehind: the executor's capacity (threads / renewal duration) is below its fleet, and lateness grows until leases expire.")
                .unit("percentunit").min(0).size(24, 8)
                .thresholds("red", null, "yellow", 0.9, "green", 0.99)
                .range("sum by (instance) (" + rate("yawl_heartbeat_executor_task_count_total", A) + ") / (sum by (instance) (yawl_heartbeat_executor_queue_depth{" + A
                        + "} + yawl_heartbeat_executor_active_threads{" + A + "}) / 10)", "{{instance}}")
                .runbook("HeartbeatExecutorFallingBehind");

        d.row("Reconnects and etcd calls");
        d.add(new Panel("timeseries", "Reconnects by reason")).ask("Why are agents re-registering?", "1.3 chart 2")
                .desc("Registrations re-established per second: heartbeat_miss (renewal succeeded after failures), manual (register() of an id already renewing), discovery_restart (start() after stop()). Healthy: near 0.")
                .unit("ops").min(0).size(12, 8)
                .range("sum by (reason) (" + rate("yawl_agent_reconnect_count_total", A) + ")", "{{reason}}")
                .runbook("AgentReconnectStormDetected");
        d.add(new Panel("timeseries", "etcd heartbeat put latency (p95, p99)")).ask("Is slow etcd the reason renewals are slow?", "1.5 chart 1 (heartbeat)")
                .desc("Client-side latency of the etcd put each renewal makes (yawl_etcd_query_latency_ms{query_type=\"heartbeat\"}). Healthy: p95 under 100 ms; if renewal latency is high but this is low, the time goes to the executor.")
                .unit("ms").min(0).size(12, 8)
                .thresholds("green", null, "red", 100)
                .range(q("0.95", "yawl_etcd_query_latency_ms", sel("query_type=\"heartbeat\"", A)), "p95")
                .range(q("0.99", "yawl_etcd_query_latency_ms", sel("query_type=\"heartbeat\"", A)), "p99")
                .quantileColours()
                .runbook("EtcdQueryLatencyHigh");
        return d;
    }

    // ============================================================================ 3. Marketplace

    static Dashboard marketplace() {
        Dashboard d = agentDashboard(MARKETPLACE, "YAWL Agent Marketplace & Discovery",
                "AgentMarketplace queries and liveness index (design 1.2), GenericPartyAgent lifecycle (1.3) and discovery backoff (1.6).",
                "marketplace", "discovery", "lifecycle");

        d.row("Marketplace");
        d.add(new Panel("timeseries", "Published, live and dead agents (24 h)")).ask("How many agents are published, live and dead?", "D3 #1")
                .desc("Stacked: live agents (heartbeat within 5 minutes) plus dead ones (published but stale); the line is all published listings. Healthy: dead near 0. A growing dead band means agents die without unpublishing, which also defeats the liveness index.")
                .unit("short").min(0).size(12, 9).timeFrom("24h")
                .custom("fillOpacity", 40).custom("stacking", map("mode", "normal", "group", "A"))
                .range("sum(yawl_marketplace_live_agents_count{" + A + "})", "live")
                .range("sum(yawl_marketplace_listings{" + A + "}) - sum(yawl_marketplace_live_agents_count{" + A + "})", "dead (stale)")
                .range("sum(yawl_marketplace_listings{" + A + "})", "published")
                .override("byName", "live", "color", Grafana.fixed("green"))
                .override("byName", "dead (stale)", "color", Grafana.fixed("red"))
                .override("byName", "published", "custom.stacking", map("mode", "none", "group", "B"), "custom.fillOpacity", 0,
                        "color", Grafana.fixed("blue"))
                .runbook("LiveAgentCountDropped");
        d.add(new Panel("heatmap", "Live agents by pod")).ask("Is every pod carrying its share of live agents?", "1.2 chart 2")
                .desc("Live agent count per pod over time (one row per pod, colour = agents). Healthy: even colour across pods; a dark row is a pod that lost its agents.")
                .unit("short").size(12, 9)
                .range("sum by (instance) (yawl_marketplace_live_agents_count{" + A + "})", "{{instance}}");

        quantiles(d.add(new Panel("timeseries", "Marketplace query latency (p50, p95, p99)")).ask("Are discovery queries within the 10 ms p95 SLO?", "1.2 chart 1"), "yawl_marketplace_query_latency_ms", A, false)
                .desc("Duration of every public marketplace query, all query types. SLO: p95 under 10 ms (dashed line). Healthy: p95 a few ms; above 10 ms for 5 minutes fires MarketplaceQueryLatencyHigh.")
                .unit("ms").min(0).size(12, 8)
                .thresholds("green", null, "red", 10)
                .runbook("MarketplaceQueryLatencyHigh");
        d.add(new Panel("heatmap", "Query latency percentiles (heatmap)")).ask("How does the whole latency distribution move over time?", "D3 #2")
                .desc("p50, p75, p95 and p99 of marketplace query latency as rows, colour = latency (green fast, red slow). Healthy: all rows green, under 10 ms.")
                .unit("ms").size(12, 8)
                .range(q("0.5", "yawl_marketplace_query_latency_ms", A), "p50")
                .range(q("0.75", "yawl_marketplace_query_latency_ms", A), "p75")
                .range(q("0.95", "yawl_marketplace_query_latency_ms", A), "p95")
                .range(q("0.99", "yawl_marketplace_query_latency_ms", A), "p99");

        d.add(new Panel("timeseries", "Query latency p95 by query type")).ask("Which query type is slow?", "beyond design")
                .desc("p95 per query (transition_slot, namespace, max_cost, max_latency, wcp_pattern, by_id, all_live, live_count). Healthy: all under 10 ms; one slow type points at its code path (transition_slot scans all listings).")
                .unit("ms").min(0).size(12, 8)
                .thresholds("green", null, "red", 10)
                .range(q("0.95", "yawl_marketplace_query_latency_ms", A, "query"), "{{query}}");
        quantiles(d.add(new Panel("timeseries", "Index sync time (p50, p95, p99)")).ask("Is keeping the liveness index up to date cheap (p99 < 100 ms)?", "D3 #3, 1.2 chart 3"), "yawl_marketplace_index_sync_time_ms", A, false)
                .desc("Duration of publish, unpublish and heartbeat calls that maintain the listings and liveness index. Healthy: p99 under 100 ms (dashed line), typically 1-5 ms.")
                .unit("ms").min(0).size(12, 8)
                .thresholds("green", null, "red", 100);

        d.add(new Panel("timeseries", "Publish / unpublish / heartbeat per minute (24 h)")).ask("How much registration churn is there?", "D3 #4, 1.2 chart 4")
                .desc("Per-minute rate of publish (success / rejected), unpublish and marketplace heartbeats (applied / stale_check_fail = heartbeat for an id without listing). Healthy: low and steady outside roll-outs; stale_check_fail near 0.")
                .unit("opm").min(0).size(12, 8).timeFrom("24h").interval("1m")
                .custom("drawStyle", "bars").custom("fillOpacity", 70)
                .range("60 * sum by (outcome) (" + rate("yawl_marketplace_publish_count_total", A) + ")", "publish {{outcome}}")
                .range("60 * sum(" + rate("yawl_marketplace_unpublish_count_total", A) + ")", "unpublish")
                .range("60 * sum by (outcome) (" + rate("yawl_marketplace_heartbeat_count_total", A) + ")", "heartbeat {{outcome}}");
        d.add(new Panel("stat", "Liveness filter duration")).ask("Is the O(N) to O(K) liveness optimisation working?", "D3 #5")
                .desc("The real cost of filtering listings for liveness: current p95, and the highest p95 of the last 24 hours. Healthy (O(K), clean liveness index): a few ms; O(N) (older engine, or stale agents still published): tens of ms at 100K listings.")
                .unit("ms").decimals(2).size(6, 8)
                .thresholds("green", null, "yellow", 10, "red", 50)
                .range(q("0.95", "yawl_marketplace_liveness_filter_duration_ms", A), "p95 now")
                .range("max_over_time(" + q("0.95", "yawl_marketplace_liveness_filter_duration_ms", A) + "[24h:])", "24 h peak of p95");
        d.add(new Panel("timeseries", "Liveness index vs live agents")).ask("Does the liveness index hold only live agents?", "beyond design (issue 4)")
                .desc("Size of the liveness index (newer engine only) against live agents and all listings. Healthy: index = live. Index = listings means stale agents were never unpublished and the O(K) filter is really O(N).")
                .unit("short").min(0).size(6, 8)
                .range("sum(yawl_marketplace_liveness_index_size{" + A + "})", "index")
                .range("sum(yawl_marketplace_live_agents_count{" + A + "})", "live")
                .range("sum(yawl_marketplace_listings{" + A + "})", "listings");

        d.row("Agent lifecycle");
        d.add(new Panel("timeseries", "Agents by lifecycle state")).ask("How many agents are in each state?", "1.3 chart 1")
                .desc("Agents in each state in the selected pods (yawl_agent_live, stacked) and created - stopped. Healthy: almost all DISCOVERING; FAILED at 0.")
                .unit("short").min(0).size(8, 8)
                .custom("fillOpacity", 40).custom("stacking", map("mode", "normal", "group", "A"))
                .range("sum by (state) (yawl_agent_live{" + A + "})", "{{state}}")
                .range("sum(yawl_agent_creations_total{" + A + "}) - sum(yawl_agent_stopped_total{" + A + "})", "created - stopped")
                .override("byName", "created - stopped", "custom.stacking", map("mode", "none", "group", "B"), "custom.fillOpacity", 0);
        d.add(new Panel("timeseries", "Reconnect rate (% of live agents per minute)")).ask("Is a reconnect storm starting (> 0.5 %/min)?", "1.3 chart 2")
                .desc("Reconnects per minute as a share of running agents. Target: under 0.5 % per minute during stability (dashed line); a storm pages (AgentReconnectStormDetected).")
                .unit("percentunit").decimals(2).min(0).size(8, 8)
                .thresholds("green", null, "red", 0.005)
                .range("60 * sum(" + rate("yawl_agent_reconnect_count_total", A) + ") / sum(yawl_agent_live{" + sel("state!=\"STOPPED\"", A) + "})", "reconnects / agent / min")
                .runbook("AgentReconnectStormDetected");
        d.add(new Panel("timeseries", "State duration p95 by state")).ask("Are agents stuck in a state (DISCOVERING < 500 ms)?", "1.3 chart 3")
                .desc("How long agents stayed in a state before leaving it (p95 per state). Healthy: DISCOVERING under 500 ms (dashed line) with the index optimisation; long STOPPING means a stuck discovery thread.")
                .unit("ms").min(0).size(8, 8)
                .thresholds("green", null, "red", 500)
                .range(q("0.95", "yawl_agent_state_duration_ms", A, "state"), "{{state}}");

        d.add(new Panel("heatmap", "Backoff level distribution")).ask("Are agents finding work, or backing off?", "1.3 chart 4")
                .desc("Agents at each backoff level 0-8 (level = consecutive empty discovery cycles, capped at 8), colour = agents. Healthy: mostly level 0; a band at high levels is a work drought.")
                .unit("short").size(8, 8)
                .range("sum by (level) (yawl_agent_backoff_level_agents{" + A + "})", "{{level}}");
        d.add(new Panel("timeseries", "Work item throughput")).ask("Is work flowing: checked out and checked in?", "1.3 chart 5")
                .desc("Work items checked out and checked in per second, and the difference (in progress or lost). Healthy: check-ins follow check-outs; failures and errors near 0.")
                .unit("ops").min(0).size(8, 8)
                .range("sum by (outcome) (" + rate("yawl_agent_work_item_checkout_count_total", A) + ")", "checkout {{outcome}}")
                .range("sum by (outcome) (" + rate("yawl_agent_work_item_checkin_count_total", A) + ")", "checkin {{outcome}}")
                .range("sum(" + rate("yawl_agent_work_item_checkout_count_total", sel("outcome=\"success\"", A)) + ") - sum("
                        + rate("yawl_agent_work_item_checkin_count_total", sel("outcome=\"success\"", A)) + ")", "checkout - checkin");
        d.add(new Panel("timeseries", "Discovery cycles by outcome")).ask("Do discovery cycles find work, time out or fail?", "1.3 table (discovery_attempts)")
                .desc("runDiscoveryCycle() calls per second: success (work found), no_work, timeout, error; plus agent constructions that failed. Healthy: errors and timeouts near 0.")
                .unit("ops").min(0).size(8, 8)
                .range("sum by (outcome) (" + rate("yawl_agent_discovery_attempts_total", A) + ")", "{{outcome}}")
                .range("sum(" + rate("yawl_agent_create_failures_total", A) + ")", "create failures");

        d.row("Discovery backoff");
        quantiles(d.add(new Panel("timeseries", "Backoff sleep time (p50, p95, p99)")).ask("How long do agents sleep between discovery cycles?", "1.6 chart 1"), "yawl_discovery_backoff_sleep_time_ms", A, false)
                .desc("Sleep each discovery cycle requested, jitter included. Healthy: near the base interval; p99 at the 60 s cap during a drought.")
                .unit("ms").min(0).size(8, 8)
                .custom("scaleDistribution", map("type", "log", "log", 10));
        d.add(new Panel("timeseries", "Backoff cycles and level (max over agents)")).ask("Is any agent stuck in deep backoff?", "1.6 chart 2, 1.3 backoff_level")
                .desc("Most consecutive empty cycles of any agent (yawl_discovery_backoff_cycles) and the highest backoff level. Healthy: 0-1. Above 5 for 30 minutes fires DiscoveryBackoffSustained / AgentBackoffStuck (dashed line).")
                .unit("short").min(0).size(8, 8)
                .thresholds("green", null, "red", 5)
                .range("max(yawl_discovery_backoff_cycles{" + A + "})", "backoff cycles")
                .range("max(yawl_agent_backoff_level{" + A + "})", "backoff level")
                .range("max(yawl_discovery_empty_result_consecutive{" + A + "})", "empty results in a row")
                .runbook("DiscoveryBackoffSustained")
                .runbook("AgentBackoffStuck");
        d.add(new Panel("timeseries", "Agents in backoff (%)")).ask("What share of agents is backing off (< 5 %)?", "1.6 chart 3")
                .desc("Agents sleeping longer than their base interval, as a share of running agents. Healthy: under 5 % (dashed line).")
                .unit("percentunit").min(0).max(1).size(8, 8)
                .thresholds("green", null, "red", 0.05)
                .range("sum(yawl_discovery_agents_in_backoff{" + A + "}) / sum(yawl_agent_live{" + sel("state!=\"STOPPED\"", A) + "})", "in backoff");
        d.add(new Panel("timeseries", "Polling load reduction (%)")).ask("How much polling load does backoff save right now?", "1.6 chart 4")
                .desc("100 x (1 - actual polls/s / polls/s at base interval), per pod. Healthy: 0 % with work available; 50-98 % during a work drought is the backoff doing its job. Above 80 % for 2 minutes warns (DiscoveryThunderingHerd).")
                .unit("percent").min(0).max(100).size(12, 8)
                .thresholds("green", null, "red", 80)
                .range("max by (instance) (yawl_discovery_polling_load_reduction_percent{" + A + "})", "{{instance}}")
                .runbook("DiscoveryThunderingHerd");
        d.add(new Panel("heatmap", "Consecutive empty results by pod")).ask("Where do agents keep coming back empty-handed?", "1.6 chart 5")
                .desc("Highest consecutive empty discovery result count per pod over time (one row per pod). Healthy: 0-1 everywhere.")
                .unit("short").size(12, 8)
                .range("max by (instance) (yawl_discovery_empty_result_consecutive{" + A + "})", "{{instance}}");
        return d;
    }

    // ============================================================================ 4. JVM

    static Dashboard jvm() {
        Dashboard d = agentDashboard(JVM, "YAWL JVM & Garbage Collection",
                "Heap, garbage collection, threads and CPU of the engine JVMs (Micrometer's standard JVM meters, bound by the agent).",
                "jvm");
        String heapRatio = "sum by (instance) (jvm_memory_used_bytes{" + sel("area=\"heap\"", A) + "}) / max by (instance) (jvm_memory_max_bytes{" + sel("area=\"heap\"", A) + "})";

        d.row("Garbage collection");
        quantiles(d.add(new Panel("timeseries", "GC pause time (p50, p95, p99, 24 h)")).ask("Are GC pauses within the 500 ms p99 SLO?", "D4 #1, 1.7 chart 1"), "jvm_gc_pause_seconds", A, false)
                .desc("Stop-the-world pause durations, all collectors. SLO: p99 under 500 ms (dashed line). Healthy with ZGC: single-digit ms. Above 500 ms for 5 minutes fires JVMGCPauseTimeHigh.")
                .unit("s").min(0).size(12, 9).timeFrom("24h")
                .thresholds("green", null, "red", 0.5)
                .runbook("JVMGCPauseTimeHigh");
        d.add(new Panel("timeseries", "GC pause p99 by collector")).ask("Which collector (minor / major) pauses long?", "D4 #1 (per gc label)")
                .desc("p99 pause per gc label (e.g. 'ZGC Minor Pauses' / 'ZGC Major Pauses' with generational ZGC, 'G1 Young Generation' with G1). Healthy: under 500 ms for every collector.")
                .unit("s").min(0).size(12, 9)
                .thresholds("green", null, "red", 0.5)
                .range(q("0.99", "jvm_gc_pause_seconds", A, "gc"), "{{gc}}");
        d.add(new Panel("stat", "GC pauses (24 h)")).ask("How many collections happened today?", "D4 #3")
                .desc("Number of GC pauses in the last 24 hours (jvm_gc_pause_seconds_count). Healthy with ZGC at 1M agents: 1,000-2,000 a day.")
                .unit("short").decimals(0).size(6, 8).timeFrom("24h").colorMode("fixed").option("colorMode", "value")
                .range("sum(increase(jvm_gc_pause_seconds_count{" + A + "}[24h]))", "pauses");
        d.add(new Panel("timeseries", "GC frequency (pauses per hour)")).ask("How often does the JVM collect?", "D4 #3, 1.7 chart 3")
                .desc("GC pauses per hour by collector. Healthy: steady; a rising rate with rising heap means allocation pressure.")
                .unit("suffix:/h").min(0).size(18, 8)
                .range("3600 * sum by (gc) (" + rate("jvm_gc_pause_seconds_count", A) + ")", "{{gc}}");

        d.row("Heap");
        d.add(new Panel("timeseries", "Heap usage (% of max)")).ask("Is the heap in the 75-85 % band, or near 90 %?", "D4 #2, 1.7 chart 2")
                .desc("Heap used / max heap per pod. Max is the largest heap pool's max (= -Xmx with G1 and ZGC; summing pools would double it with generational ZGC, and G1's eden reports -1). Target 75-85 %; dashed lines at 75, 85 and 90 %. Above 90 % for 5 minutes fires JVMHeapPressure.")
                .unit("percentunit").min(0).max(1).size(12, 9)
                .thresholds("green", null, "#EAB839", 0.75, "orange", 0.85, "red", 0.9)
                .range(heapRatio, "{{instance}}")
                .runbook("JVMHeapPressure");
        d.add(new Panel("timeseries", "Heap used and max (bytes)")).ask("How much heap is used against the maximum?", "D4 #2")
                .desc("Heap used (area) and max heap, per pod. Healthy: a saw-tooth well below max.")
                .unit("bytes").min(0).size(12, 9)
                .custom("fillOpacity", 30)
                .range("sum by (instance) (jvm_memory_used_bytes{" + sel("area=\"heap\"", A) + "})", "used {{instance}}")
                .range("max by (instance) (jvm_memory_max_bytes{" + sel("area=\"heap\"", A) + "})", "max {{instance}}")
                .override("byRegexp", "max .*", "custom.fillOpacity", 0, "custom.lineStyle", map("fill", "dash", "dash", List.of(10, 10)));
        d.add(new Panel("timeseries", "Memory by pool")).ask("Which memory pool grows?", "beyond design")
                .desc("Used bytes per memory pool (heap and non-heap: generations, metaspace, code cache). Healthy: metaspace flat after start-up.")
                .unit("bytes").min(0).size(24, 8)
                .range("sum by (area, id) (jvm_memory_used_bytes{" + A + "})", "{{area}}: {{id}}");

        d.row("Threads and CPU");
        d.add(new Panel("gauge", "Live threads")).ask("How many platform threads are alive?", "D4 #4, 1.7 chart 4")
                .desc("Live platform threads now (virtual threads are not counted by the JVM's thread MXBean). Expected at 1M agents: 10K-50K.")
                .unit("short").decimals(0).min(0).max(50000).size(6, 8)
                .thresholds("green", null, "yellow", 40000, "red", 50000)
                .range("sum(jvm_threads_live_threads{" + A + "})", "live");
        d.add(new Panel("stat", "Peak threads (24 h)")).ask("What was today's thread peak?", "D4 #4")
                .desc("Highest live thread count seen in the last 24 hours (max of jvm_threads_peak_threads), summed over pods. Healthy: under 50K.")
                .unit("short").decimals(0).size(6, 8).timeFrom("24h")
                .thresholds("green", null, "yellow", 40000, "red", 50000)
                .range("sum(max_over_time(jvm_threads_peak_threads{" + A + "}[24h]))", "peak");
        d.add(new Panel("timeseries", "Thread count (live, daemon, peak)")).ask("Is there a thread leak?", "D4 #4, 1.7 chart 4")
                .desc("Live, daemon and peak platform threads per pod. Healthy: flat; a steady climb is a thread leak.")
                .unit("short").min(0).size(12, 8)
                .range("sum by (instance) (jvm_threads_live_threads{" + A + "})", "live {{instance}}")
                .range("sum by (instance) (jvm_threads_daemon_threads{" + A + "})", "daemon {{instance}}")
                .range("sum by (instance) (jvm_threads_peak_threads{" + A + "})", "peak {{instance}}");
        d.add(new Panel("gauge", "Process CPU usage")).ask("Is each pod in its 20-40 % CPU band?", "D4 #5, 1.7 chart 5")
                .desc("CPU used by each engine JVM (process_cpu_usage, 0-100 % of the cores it may use). Target: 20-40 % per pod; above 80 % leaves no headroom.")
                .unit("percentunit").min(0).max(1).size(6, 8)
                .thresholds("blue", null, "green", 0.2, "yellow", 0.6, "red", 0.8)
                .range("max by (instance) (process_cpu_usage{" + A + "})", "{{instance}}");
        d.add(new Panel("stat", "CPU usage per pod (24 h)")).ask("How did CPU move over the day?", "D4 #5 (sparkline)")
                .desc("Per-pod CPU usage as a 24-hour sparkline. Healthy: 20-40 %.")
                .unit("percentunit").min(0).max(1).size(18, 8).timeFrom("24h")
                .thresholds("blue", null, "green", 0.2, "yellow", 0.6, "red", 0.8)
                .range("max by (instance) (process_cpu_usage{" + A + "})", "{{instance}}");
        return d;
    }

    // ============================================================================ 5. etcd & network

    static Dashboard etcdNetwork() {
        Dashboard d = agentDashboard(ETCD, "YAWL etcd Registry & Network",
                "The agent registry as the engine sees it (client latency by query type), etcd's own health (leader, apply lag, watches, db size), the engine's java.net.http client and the network (node exporter).",
                "etcd", "network", "http-client");
        etcdVariables(d);
        nodeVariables(d);
        d.customVariable("link_bps", "Link capacity", "Network link speed for the utilisation panel",
                "1 Gbps", "1000000000", "10 Gbps", "10000000000", "40 Gbps", "40000000000");

        d.row("etcd registry");
        d.add(new Panel("timeseries", "etcd query latency by type (p50, p95, p99)")).ask("Which registry call is slow (p95 < 100 ms)?", "D5 #1, 1.5 chart 1")
                .desc("Client-side latency of the engine's etcd calls by query_type: heartbeat (renewal put), publish (register put), unpublish (delete), discovery (range). SLO: p95 under 100 ms (dashed line); above it for 5 minutes fires EtcdQueryLatencyHigh.")
                .unit("ms").min(0).size(24, 9)
                .thresholds("green", null, "red", 100)
                .range(q("0.5", "yawl_etcd_query_latency_ms", A, "query_type"), "{{query_type}} p50")
                .range(q("0.95", "yawl_etcd_query_latency_ms", A, "query_type"), "{{query_type}} p95")
                .range(q("0.99", "yawl_etcd_query_latency_ms", A, "query_type"), "{{query_type}} p99")
                .runbook("EtcdQueryLatencyHigh");
        d.add(new Panel("table", "etcd cluster members")).ask("Which member is leader, is each healthy and caught up?", "D5 #2, 1.5 chart 6")
                .desc("One row per etcd member: scraped (up), sees a leader (has_leader), is the leader, apply lag (proposals committed but not yet applied), leader changes in 24 h. Healthy: all up, all have a leader, exactly one leader, lag 0.")
                .unit("short").size(12, 8)
                .table("max by (instance) (up{" + E + "})")
                .table("max by (instance) (etcd_server_has_leader{" + E + "})")
                .table("max by (instance) (etcd_server_is_leader{" + E + "})")
                .table("max by (instance) (etcd_server_proposals_committed_total{" + E + "} - etcd_server_proposals_applied_total{" + E + "})")
                .table("max by (instance) (increase(etcd_server_leader_changes_seen_total{" + E + "}[24h]))")
                .transformation("merge", map())
                .transformation("organize", map("excludeByName", map("Time", true),
                        "renameByName", map("instance", "member", "Value #A", "up", "Value #B", "has leader",
                                "Value #C", "leader", "Value #D", "apply lag (proposals)", "Value #E", "leader changes 24 h")))
                .valueMapOn(List.of("up", "has leader"), 0, "no", "red", 1, "yes", "green")
                .valueMapOn(List.of("leader"), 0, "no", "text", 1, "yes", "green")
                .runbook("EtcdNoLeader");
        d.add(new Panel("stat", "Members healthy / has leader")).ask("Are all members up and agreeing on a leader?", "1.5 chart 6")
                .desc("Members scraped successfully, and members that see a leader. Healthy: equal to the cluster size (5 in production).")
                .unit("short").decimals(0).size(6, 8).option("graphMode", "none")
                .thresholds("red", null, "green", 1)
                .range("count(up{" + E + "} == 1) or vector(0)", "members up")
                .range("sum(etcd_server_has_leader{" + E + "})", "see a leader")
                .runbook("EtcdNoLeader");
        d.add(new Panel("stat", "Leader changes (24 h)")).ask("Is leadership stable (< 1 change a day)?", "1.5 chart 3")
                .desc("Leader elections seen in the last 24 hours (etcd_server_leader_changes_seen_total, highest over members). Target: under 1 a day.")
                .unit("short").decimals(0).size(6, 8).timeFrom("24h")
                .thresholds("green", null, "yellow", 1, "red", 3)
                .range("max(increase(etcd_server_leader_changes_seen_total{" + E + "}[24h]))", "leader changes");

        d.add(new Panel("timeseries", "Replication (apply) lag per member (24 h)")).ask("Is any member falling behind?", "D5 #3, 1.5 chart 2")
                .desc("Per member: committed-but-unapplied raft entries expressed as time at the member's own apply rate (recording rule yawl:etcd_apply_lag_seconds of rules/recording.yml; etcd 3.4 exports no lag in ms), and the raw backlog in entries on the right axis. Max acceptable: 500 ms (dashed line); above it for 5 minutes pages (EtcdReplicationLagHigh). Healthy: 0.")
                .unit("s").min(0).size(12, 8).timeFrom("24h")
                .thresholds("green", null, "red", 0.5)
                .range("max by (instance) (yawl:etcd_apply_lag_seconds{" + E + "})", "{{instance}}")
                .range("max by (instance) (etcd_server_proposals_committed_total{" + E + "} - etcd_server_proposals_applied_total{" + E + "})", "backlog {{instance}}")
                .override("byRegexp", "backlog .*", "unit", "short", "custom.axisPlacement", "right", "custom.lineStyle",
                        map("fill", "dash", "dash", List.of(10, 10)))
                .runbook("EtcdReplicationLagHigh");
        d.add(new Panel("stat", "Watch streams")).ask("How many watches does the registry serve?", "D5 #5, 1.5 chart 4")
                .desc("Active gRPC watch streams and watchers on etcd (etcd_debugging_mvcc_*). The engine's registry client polls and does not watch, so low numbers are expected today; the design's ~1M assumed a watch per agent. Healthy: stable.")
                .unit("short").decimals(0).size(6, 8)
                .colorMode("fixed").option("colorMode", "value")
                .range("sum(etcd_debugging_mvcc_watch_stream_total{" + E + "})", "watch streams")
                .range("sum(etcd_debugging_mvcc_watcher_total{" + E + "})", "watchers");
        d.add(new Panel("timeseries", "etcd DB size")).ask("Is the registry database growing as expected?", "1.5 chart 5")
                .desc("Physical DB size and the part in use, per member. Healthy: grows sublinearly with agents (10-50 MB at 1M); size far above in-use means it needs defragmenting.")
                .unit("bytes").min(0).size(6, 8)
                .range("max by (instance) (etcd_mvcc_db_total_size_in_bytes{" + E + "})", "size {{instance}}")
                .range("max by (instance) (etcd_mvcc_db_total_size_in_use_in_bytes{" + E + "})", "in use {{instance}}");

        d.row("HTTP client (java.net.http, every outbound call)");
        d.add(new Panel("timeseries", "HTTP requests in flight and pending")).ask("Are outbound requests queuing?", "1.4 charts 1 and 2")
                .desc("Requests in flight (connections_active) and requests still waiting to connect or for a response (connections_pending: an async request until its headers arrive, a synchronous send until it returns), per pod. Healthy: active well under 5 % of the nominal capacity, pending 0-100; pending above 500 for 5 minutes fires HTTPClientQueueBuilding.")
                .unit("short").min(0).size(8, 8)
                .thresholds("green", null, "red", 500)
                .range("sum by (instance) (yawl_http_client_connections_active{" + A + "})", "active {{instance}}")
                .range("sum by (instance) (yawl_http_client_connections_pending{" + A + "})", "pending {{instance}}")
                .runbook("HTTPClientQueueBuilding");
        quantiles(d.add(new Panel("timeseries", "HTTP request latency (p50, p95, p99)")).ask("Are outbound calls slow?", "1.4 chart 3"), "yawl_http_client_request_latency_ms", A, false)
                .desc("Latency of every java.net.http request from send/sendAsync to completion. Typical at 1M: p95 200 ms, p99 500 ms (dashed lines).")
                .unit("ms").min(0).size(8, 8)
                .thresholds("green", null, "yellow", 200, "red", 500);
        d.add(new Panel("timeseries", "HTTP requests by status class")).ask("Are remote services answering with errors?", "1.4 table (requests_sent)")
                .desc("Requests completed per second by method and status class (none = no response: timeout, refused). Healthy: 2xx dominates, 5xx and none near 0.")
                .unit("reqps").min(0).size(8, 8)
                .range("sum by (method, status_class) (" + rate("yawl_http_client_requests_sent_total", A) + ")", "{{method}} {{status_class}}");
        d.add(new Panel("timeseries", "HTTP timeout rate")).ask("Are outbound calls timing out?", "1.4 chart 4")
                .desc("Connect and request timeouts per second, by reason (connect, request). The series appear with the first timeout, so \"0\" is shown until then. Healthy: 0; above 0.1/s for 5 minutes warns (HTTPClientTimeoutRate).")
                .unit("ops").min(0).size(12, 8)
                .thresholds("green", null, "red", 0.1)
                .noValue("0")
                .range("sum by (reason) (" + rate("yawl_http_client_connection_timeout_count_total", A) + ")", "{{reason}} timeouts/s")
                .runbook("HTTPClientTimeoutRate");
        d.add(new Panel("timeseries", "HTTP pool utilisation (theoretical)")).ask("How close would a capped client be to saturation?", "1.4 chart 5")
                .desc("In-flight requests / the configured nominal capacity, per pod: the design's theoretical saturation figure (the JDK client has no pool to read). Healthy: under 30 % (dashed line) even at peak.")
                .unit("percent").min(0).size(12, 8)
                .thresholds("green", null, "red", 30)
                .range("max by (instance) (yawl_http_client_pool_utilization_percent{" + A + "})", "{{instance}}");

        d.row("Network (node exporter)");
        d.add(new Panel("timeseries", "Bandwidth in / out")).ask("How much traffic does each node move?", "D5 #4, 1.8 chart 1")
                .desc("Bytes per second received (negative) and transmitted per node over physical interfaces (loopback and container bridges excluded). Healthy: far below the link capacity.")
                .unit("Bps").size(12, 8)
                .custom("fillOpacity", 30)
                .range("sum by (instance) (" + rate("node_network_transmit_bytes_total", sel(NIC, N)) + ")", "out {{instance}}")
                .range("-sum by (instance) (" + rate("node_network_receive_bytes_total", sel(NIC, N)) + ")", "in {{instance}}")
                .runbook("NetworkBandwidthHigh");
        d.add(new Panel("timeseries", "Packet rate")).ask("How many packets per second?", "1.8 chart 2")
                .desc("Packets per second received and transmitted per node. Healthy at 1M agents: about 50K/s each way.")
                .unit("pps").min(0).size(12, 8)
                .range("sum by (instance) (" + rate("node_network_transmit_packets_total", sel(NIC, N)) + ")", "out {{instance}}")
                .range("sum by (instance) (" + rate("node_network_receive_packets_total", sel(NIC, N)) + ")", "in {{instance}}");
        d.add(new Panel("timeseries", "Bandwidth utilisation (% of link)")).ask("How full is the link?", "D5 #4, 1.8 chart 3")
                .desc("Bits per second in each direction / the link capacity variable, per node (full duplex: each direction has the whole link). Healthy: under 5 % even at 1M agents on 1 Gbps; 80 % (800 Mbps on 1 Gbps) in either direction for 5 minutes warns (NetworkBandwidthHigh).")
                .unit("percentunit").min(0).size(8, 8)
                .thresholds("green", null, "yellow", 0.05, "red", 0.8)
                .range("8 * sum by (instance) (" + rate("node_network_transmit_bytes_total", sel(NIC, N)) + ") / $link_bps", "out {{instance}}")
                .range("8 * sum by (instance) (" + rate("node_network_receive_bytes_total", sel(NIC, N)) + ") / $link_bps", "in {{instance}}")
                .runbook("NetworkBandwidthHigh");
        d.add(new Panel("timeseries", "TCP connections established")).ask("How many TCP connections are open?", "1.8 chart 4")
                .desc("Established TCP connections per node (node_netstat_Tcp_CurrEstab). Expected: agent connections plus etcd streams; a sudden drop is a network partition or mass disconnect.")
                .unit("short").min(0).size(8, 8)
                .range("sum by (instance) (node_netstat_Tcp_CurrEstab{" + N + "})", "{{instance}}");
        d.add(new Panel("timeseries", "Link latency (blackbox probes)")).ask("Is the network itself slow?", "1.8 chart 5")
                .desc("Round-trip time of blackbox exporter probes (probe_duration_seconds, external: needs a blackbox exporter job). Healthy: stable, low ms inside a cluster.")
                .unit("s").min(0).size(8, 8)
                .range("max by (instance) (probe_duration_seconds{cluster=~\"$cluster\"})", "{{instance}}");
        return d;
    }

    // ============================================================================ 6. Kubernetes

    static Dashboard kubernetes() {
        Dashboard d = new Dashboard(KUBERNETES, "YAWL Kubernetes Infrastructure",
                "Node and pod health of the cluster the engine runs in: restarts, crashes, node CPU and memory, volumes, node readiness. Needs kube-state-metrics, node exporter and the kubelet's volume stats.",
                TAG, "kubernetes", "infrastructure");
        d.timeRange("now-24h");
        d.datasourceVariable()
                .queryVariable("cluster", "Cluster", "label_values(kube_node_info, cluster)")
                .queryVariable("job", "kube-state-metrics job", "label_values(kube_pod_info{cluster=~\"$cluster\"}, job)")
                .queryVariable("namespace", "Namespace", "label_values(kube_pod_info{cluster=~\"$cluster\", job=~\"$job\"}, namespace)")
                .queryVariable("pod", "Pod", "label_values(kube_pod_info{cluster=~\"$cluster\", job=~\"$job\", namespace=~\"$namespace\"}, pod)")
                .queryVariable("node_job", "Node exporter job", "label_values(node_uname_info{cluster=~\"$cluster\"}, job)")
                .queryVariable("instance", "Node exporter instance", "label_values(node_uname_info{cluster=~\"$cluster\", job=~\"$node_job\"}, instance)");
        d.link("1M Agent Overview", "/d/" + OVERVIEW + "/yawl-1m-agent-overview", "Back to the summary");
        d.tagLinks(TAG, "YAWL dashboards");
        String pods = sel("namespace=~\"$namespace\", pod=~\"$pod\"", K);
        String nodes = "cluster=~\"$cluster\", job=~\"$node_job\", instance=~\"$instance\"";

        d.row("Pods");
        d.add(new Panel("bargauge", "Pod restarts (24 h)")).ask("Which pods restart, and how often?", "D6 #1")
                .desc("Container restarts per pod in the last 24 hours, most first. Healthy: 0; red above 3 a day.")
                .unit("short").decimals(0).min(0).size(12, 9)
                .thresholds("green", null, "yellow", 1, "red", 4)
                .instant("sort_desc(sum by (namespace, pod) (increase(kube_pod_container_status_restarts_total{" + pods + "}[24h])))", "{{namespace}}/{{pod}}");
        d.add(new Panel("timeseries", "Pod crash events")).ask("Are containers crash-looping or OOM-killed?", "D6 #4")
                .desc("Containers waiting in CrashLoopBackOff, and containers whose last termination was OOMKilled. Healthy: both 0.")
                .unit("short").min(0).size(12, 9)
                .range("sum(kube_pod_container_status_waiting_reason{" + sel("reason=\"CrashLoopBackOff\"", pods) + "}) or vector(0)", "CrashLoopBackOff")
                .range("sum(kube_pod_container_status_last_terminated_reason{" + sel("reason=\"OOMKilled\"", pods) + "}) or vector(0)", "OOMKilled")
                .override("byName", "CrashLoopBackOff", "color", Grafana.fixed("orange"))
                .override("byName", "OOMKilled", "color", Grafana.fixed("red"));

        d.row("Nodes");
        d.add(new Panel("heatmap", "Node CPU utilisation")).ask("Which node runs hot on CPU?", "D6 #2")
                .desc("CPU busy share per node (rows) over 24 hours, from node exporter. Healthy: green (under 70 %), yellow 70-85 %, red above 85 %.")
                .unit("percentunit").size(12, 9).option("color", UTILISATION_COLOURS)
                .range("1 - avg by (instance) (" + rate("node_cpu_seconds_total", sel("mode=\"idle\"", nodes)) + ")", "{{instance}}");
        d.add(new Panel("heatmap", "Node memory utilisation")).ask("Which node runs out of memory?", "D6 #2")
                .desc("Memory in use (1 - MemAvailable / MemTotal) per node (rows) over 24 hours. Healthy: green (under 70 %), yellow 70-85 %, red above 85 %.")
                .unit("percentunit").size(12, 9).option("color", UTILISATION_COLOURS)
                .range("1 - sum by (instance) (node_memory_MemAvailable_bytes{" + nodes + "}) / sum by (instance) (node_memory_MemTotal_bytes{" + nodes + "})", "{{instance}}");
        d.add(new Panel("table", "Node readiness")).ask("Is every node Ready, not under disk pressure, not over-committed?", "D6 #5")
                .desc("Per node: CPU and memory requested by pods as a share of allocatable, disk pressure and Ready condition (kube-state-metrics). Healthy: Ready, no disk pressure, allocation under 85 %.")
                .unit("percentunit").size(24, 8)
                .thresholds("green", null, "yellow", 0.7, "red", 0.85)
                .table("sum by (node) (kube_pod_container_resource_requests{" + sel("resource=\"cpu\"", K) + "}) / sum by (node) (kube_node_status_allocatable{" + sel("resource=\"cpu\"", K) + "})")
                .table("sum by (node) (kube_pod_container_resource_requests{" + sel("resource=\"memory\"", K) + "}) / sum by (node) (kube_node_status_allocatable{" + sel("resource=\"memory\"", K) + "})")
                .table("max by (node) (kube_node_status_condition{" + sel("condition=\"DiskPressure\", status=\"true\"", K) + "})")
                .table("max by (node) (kube_node_status_condition{" + sel("condition=\"Ready\", status=\"true\"", K) + "})")
                .transformation("merge", map())
                .transformation("organize", map("excludeByName", map("Time", true),
                        "renameByName", map("Value #A", "CPU allocation", "Value #B", "Memory allocation",
                                "Value #C", "Disk pressure", "Value #D", "Ready")))
                .override("byName", "Disk pressure", "unit", "none", "mappings", List.of(map("type", "value", "options",
                        map("0", map("text", "no", "color", "green", "index", 0), "1", map("text", "yes", "color", "red", "index", 1)))))
                .override("byName", "Ready", "unit", "none", "mappings", List.of(map("type", "value", "options",
                        map("0", map("text", "NotReady / Unknown", "color", "red", "index", 0), "1", map("text", "Ready", "color", "green", "index", 1)))));

        d.row("Persistent volumes");
        d.add(new Panel("gauge", "Volume usage (highest)")).ask("Will a volume fill up?", "D6 #3")
                .desc("The fullest persistent volume claim in the selected namespaces, as % of its capacity (kubelet volume stats). Healthy: under 70 %.")
                .unit("percentunit").min(0).max(1).size(6, 8)
                .thresholds("green", null, "yellow", 0.7, "red", 0.85)
                .range("max(kubelet_volume_stats_used_bytes{cluster=~\"$cluster\", namespace=~\"$namespace\"} / kubelet_volume_stats_capacity_bytes{cluster=~\"$cluster\", namespace=~\"$namespace\"})", "fullest");
        d.add(new Panel("timeseries", "Volume growth (24 h slope)")).ask("How fast do volumes grow?", "D6 #3 (trend)")
                .desc("Bytes per day each claim grows, from a linear fit over 24 hours (deriv). Healthy: near 0; positive slope x remaining days tells when it fills.")
                .unit("bytes").size(9, 8)
                .range("86400 * deriv(kubelet_volume_stats_used_bytes{cluster=~\"$cluster\", namespace=~\"$namespace\"}[24h])", "{{namespace}}/{{persistentvolumeclaim}}");
        d.add(new Panel("table", "Volumes (used / capacity)")).ask("How full is each volume?", "D6 #3 (per volume)")
                .desc("Per claim: used bytes, capacity and usage. Healthy: usage under 70 %.")
                .unit("bytes").size(9, 8)
                .table("max by (namespace, persistentvolumeclaim) (kubelet_volume_stats_used_bytes{cluster=~\"$cluster\", namespace=~\"$namespace\"})")
                .table("max by (namespace, persistentvolumeclaim) (kubelet_volume_stats_capacity_bytes{cluster=~\"$cluster\", namespace=~\"$namespace\"})")
                .table("max by (namespace, persistentvolumeclaim) (kubelet_volume_stats_used_bytes{cluster=~\"$cluster\", namespace=~\"$namespace\"} / kubelet_volume_stats_capacity_bytes{cluster=~\"$cluster\", namespace=~\"$namespace\"})")
                .transformation("merge", map())
                .transformation("organize", map("excludeByName", map("Time", true),
                        "renameByName", map("Value #A", "used", "Value #B", "capacity", "Value #C", "usage")))
                .override("byName", "usage", "unit", "percentunit");
        return d;
    }
}
