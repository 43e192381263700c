package dev.yawlmetrics.ops.dashboards;

import dev.yawlmetrics.fixtures.hosts.MarketplaceHost;
import dev.yawlmetrics.testsupport.AgentJvm;
import dev.yawlmetrics.testsupport.EtcdServer;

import java.time.Duration;

/**
 * The engine-shaped load the dashboards are proven against. ONE place to swap: when the full
 * fleet simulator exists, replace {@link #start} and {@link #drive} with it (it should exercise
 * heartbeat, etcd, marketplace, lifecycle, discovery and the HTTP client so every panel has data).
 */
final class LiveWorkload {
    private LiveWorkload() {}

    static final String JOB = "yawl-engine";

    /** Starts the forked engine JVM with the agent attached. */
    static AgentJvm start(EtcdServer etcd) throws Exception {
        return AgentJvm.builder(MarketplaceHost.class)
                .jvmArg("-Xmx64m")
                .env("YAWL_REGISTRY_URL", etcd.clientUrl())
                .start()
                .awaitReady();
    }

    /** Drives the host for about the given time: listings, then every query type repeatedly. */
    static void drive(AgentJvm engine, Duration duration) throws Exception {
        engine.command("publish 5000");
        long end = System.nanoTime() + duration.toNanos();
        String[] queries = {"transition_slot", "namespace", "max_cost", "max_latency", "wcp_pattern", "by_id", "all_live", "live_count"};
        while (System.nanoTime() < end) {
            for (String q : queries) {
                engine.command("query " + q + " 20");
            }
            Thread.sleep(200);
        }
    }
}
