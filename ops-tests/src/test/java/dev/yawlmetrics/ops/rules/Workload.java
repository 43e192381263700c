package dev.yawlmetrics.ops.rules;

import dev.yawlmetrics.ops.support.FleetWorkload;
import dev.yawlmetrics.testsupport.AgentJvm;
import dev.yawlmetrics.testsupport.EtcdServer;

import java.time.Duration;

/** The engine the live rule tests attach the agent to: the fleet simulator (see {@link FleetWorkload}). */
final class Workload {
    private Workload() {}

    /** Starts the fleet with the agent against the test's real etcd and lets it run a few seconds. */
    static AgentJvm startEngine(EtcdServer etcd) throws Exception {
        AgentJvm jvm = FleetWorkload.start(etcd);
        FleetWorkload.drive(jvm, Duration.ofSeconds(6));
        return jvm;
    }
}
