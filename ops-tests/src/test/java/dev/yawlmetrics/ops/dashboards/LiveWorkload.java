package dev.yawlmetrics.ops.dashboards;

import dev.yawlmetrics.fixtures.hosts.EtcdRegistryHost;
import dev.yawlmetrics.fixtures.hosts.MarketplaceHost;
import dev.yawlmetrics.testsupport.AgentJvm;
import dev.yawlmetrics.testsupport.EtcdServer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The engine-shaped load the dashboards are proven against: a small "fleet" of engine JVMs with
 * the agent, each one Prometheus instance of job {@link #JOB}. ONE place to swap: when the full
 * fleet simulator exists, replace {@link #start} and {@link #drive} with it (it should exercise
 * heartbeat, etcd, marketplace, lifecycle, discovery and the HTTP client so every panel has data).
 */
final class LiveWorkload {
    private LiveWorkload() {}

    static final String JOB = "yawl-engine";
    /** The registry client sends its TTL as the lease id; the test grants that lease first. */
    static final long TTL_SECONDS = 30;

    /** Starts the forked engine JVMs with the agent attached. */
    static List<AgentJvm> start(EtcdServer etcd) throws Exception {
        List<AgentJvm> fleet = new ArrayList<>();
        fleet.add(AgentJvm.builder(MarketplaceHost.class).jvmArg("-Xmx64m").start().awaitReady());
        fleet.add(AgentJvm.builder(EtcdRegistryHost.class).jvmArg("-Xmx64m").start().awaitReady());
        return fleet;
    }

    /** Drives the fleet for about the given time. */
    static void drive(List<AgentJvm> fleet, EtcdServer etcd, Duration duration) throws Exception {
        AgentJvm market = fleet.get(0);
        AgentJvm registry = fleet.get(1);
        etcd.grantLease(TTL_SECONDS, 600);
        registry.command("client " + etcd.clientUrl() + " " + TTL_SECONDS);
        registry.command("register 0 agent 50");
        market.command("publish 5000");
        long end = System.nanoTime() + duration.toNanos();
        String[] queries = {"transition_slot", "namespace", "max_cost", "max_latency", "wcp_pattern", "by_id", "all_live", "live_count"};
        while (System.nanoTime() < end) {
            for (String q : queries) {
                market.command("query " + q + " 20");
            }
            registry.command("sync 0");
            Thread.sleep(200);
        }
    }
}
