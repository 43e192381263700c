package dev.yawlmetrics.ops.dashboards;

import dev.yawlmetrics.ops.support.FleetWorkload;
import dev.yawlmetrics.testsupport.AgentJvm;
import dev.yawlmetrics.testsupport.EtcdServer;

import java.time.Duration;
import java.util.List;

/** The engine-shaped load the dashboards are proven against: the fleet simulator ({@link FleetWorkload}). */
final class LiveWorkload {
    private LiveWorkload() {}

    static final String JOB = FleetWorkload.JOB;

    static List<AgentJvm> start(EtcdServer etcd) throws Exception {
        return List.of(FleetWorkload.start(etcd));
    }

    static void drive(List<AgentJvm> fleet, EtcdServer etcd, Duration duration) throws Exception {
        FleetWorkload.drive(fleet.get(0), duration);
    }
}
