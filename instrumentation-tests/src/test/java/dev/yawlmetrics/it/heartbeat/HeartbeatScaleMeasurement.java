package dev.yawlmetrics.it.heartbeat;

import dev.yawlmetrics.fixtures.hosts.EtcdRegistryHost;
import dev.yawlmetrics.testsupport.AgentJvm;

import java.time.Duration;

/**
 * Not a test: measures the agent's memory per registered agent at N agents (default 100,000).
 * Two forked JVMs register N agents against an in-process etcd stand-in (HTTP 200 to every call;
 * a real etcd would spend minutes on 100,000 puts and is not what is measured), one plain and one
 * with the agent; each reports its used heap after full GCs before and after registering. The
 * per-agent figure is the difference of the two growths divided by N, so the agent's fixed cost
 * (registry, Byte Buddy) cancels out. The heartbeat period is one hour: nothing renews meanwhile.
 *
 * <p>Run from instrumentation-tests after {@code mvn verify}: see docs/instrumentations/heartbeat-etcd.md.
 */
public final class HeartbeatScaleMeasurement {
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        String executor = args.length > 1 ? args[1] : "pool";
        long plain = growth(false, n, executor);
        long agent = growth(true, n, executor);
        System.out.printf("agents=%d executor=%s heapGrowthPlain=%d heapGrowthWithAgent=%d agentBytesPerAgent=%.1f%n",
                n, executor, plain, agent, (agent - plain) / (double) n);
    }

    static long growth(boolean withAgent, int n, String executor) throws Exception {
        AgentJvm.Builder b = AgentJvm.builder(EtcdRegistryHost.class)
                .sysProp("fixture.heartbeat.periodMs", "3600000")
                .sysProp("fixture.heartbeat.executor", executor)
                .jvmArg("-Xmx2g").jvmArg("-XX:+UseSerialGC");
        if (!withAgent) {
            b.withoutAgent();
        }
        try (AgentJvm jvm = b.start()) {
            jvm.awaitStdout(l -> l.equals("HOST READY"), Duration.ofSeconds(60));
            if (withAgent) {
                jvm.awaitEndpoint();
            }
            String url = jvm.command("stub");
            String c = jvm.command("client " + url + " 60");
            jvm.command("register " + c + " warm 1000"); // load every class on the path first
            jvm.command("unregister-all " + c);
            long before = Long.parseLong(jvm.command("heap"));
            long t0 = System.nanoTime();
            String ok = jvm.command("register " + c + " agent " + n, Duration.ofMinutes(10));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            long after = Long.parseLong(jvm.command("heap"));
            System.out.printf("withAgent=%s registered=%s in %d ms, used heap %d -> %d (+%d bytes, %.1f per agent)%n",
                    withAgent, ok, ms, before, after, after - before, (after - before) / (double) n);
            if (withAgent) {
                System.out.println(jvm.scrape().find("yawl_heartbeat_executor_queue_depth"));
            }
            return after - before;
        }
    }
}
