package dev.yawlmetrics.ops.support;

import dev.yawlmetrics.demo.FleetSimulator;
import dev.yawlmetrics.testsupport.AgentJvm;
import dev.yawlmetrics.testsupport.EtcdServer;

import java.io.File;
import java.time.Duration;

/**
 * The engine every live ops test attaches the agent to: the demo's fleet simulator (registry
 * client renewing against the test's real etcd, marketplace, GenericPartyAgents with the engine's
 * backoff, java.net.http underneath), sized and sped up for a test. One place for both the rules
 * and the dashboards live tests, so a metric renamed in the agent breaks both.
 */
public final class FleetWorkload {
    /** Prometheus job name of the engine, as in rules/prometheus.yml. */
    public static final String JOB = "yawl-engine";

    private FleetWorkload() {}

    /** Starts the simulator with the agent (ZGC, as the design runs it) against {@code etcd}. */
    public static AgentJvm start(EtcdServer etcd) throws Exception {
        // The engine's client sends its TTL as the lease id; etcd 3.4 needs that lease to exist.
        etcd.grantLease(FleetSimulator.TTL_SECONDS, 600);
        String cp = System.getProperty("demo.classes", "../demo/target/classes") + File.pathSeparator + AgentJvm.hostClassPath();
        return AgentJvm.builder(FleetSimulator.class).classPath(cp)
                .jvmArg("-XX:+UseZGC").jvmArg("-Xmx384m")
                .sysProp("fixture.heartbeat.periodMs", "1000")
                .args("--agents=300", "--party-agents=20", "--base-interval-ms=20", "--etcd=" + etcd.clientUrl())
                .start().awaitReady();
    }

    /** Lets the fleet run for about {@code duration}, with a short work drought in the middle so backoff moves. */
    public static void drive(AgentJvm fleet, Duration duration) throws Exception {
        long third = duration.toMillis() / 3;
        Thread.sleep(third);
        fleet.command("work off");
        Thread.sleep(third);
        fleet.command("work on");
        Thread.sleep(duration.toMillis() - 2 * third);
    }
}
