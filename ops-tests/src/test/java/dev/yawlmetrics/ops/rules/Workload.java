package dev.yawlmetrics.ops.rules;

import dev.yawlmetrics.fixtures.hosts.MarketplaceHost;
import dev.yawlmetrics.testsupport.AgentJvm;
import dev.yawlmetrics.testsupport.EtcdServer;

import java.util.List;

/**
 * The engine the live rule tests attach the agent to: the ONE place to change when a fuller fleet
 * simulator exists (the metric-name check only passes when the workload exercises every
 * instrumentation the rules read).
 */
final class Workload {
    private Workload() {}

    /**
     * Starts the workload JVM with the agent (ZGC, as the design runs it) and drives some traffic.
     * {@code etcd} is the test's real etcd (running, empty), for a workload that registers agents.
     */
    static AgentJvm startEngine(EtcdServer etcd) throws Exception {
        AgentJvm jvm = AgentJvm.builder(MarketplaceHost.class).jvmArg("-XX:+UseZGC").jvmArg("-Xmx256m").start().awaitReady();
        jvm.command("publish 50");
        for (String q : List.of("transition_slot", "namespace", "max_cost", "max_latency", "wcp_pattern", "by_id", "all_live", "live_count")) {
            jvm.command("query " + q + " 20");
        }
        return jvm;
    }
}
