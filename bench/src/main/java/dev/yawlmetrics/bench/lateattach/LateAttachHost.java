package dev.yawlmetrics.bench.lateattach;

import dev.yawlmetrics.fixtures.agents.AgentFactory;
import dev.yawlmetrics.fixtures.engine.StubEngine;
import dev.yawlmetrics.bench.harness.Forks;
import net.bytebuddy.agent.ByteBuddyAgent;
import org.yawlfoundation.yawl.integration.autonomous.GenericPartyAgent;

import java.io.File;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;

/**
 * One fork of {@link LateAttach}: {@code plain | javaagent | attached} PORT N CALLS. Loads
 * GenericPartyAgent, attaches the agent to itself when {@code attached} (the lifecycle and
 * discovery instrumentations then run in their shape-preserving mode), waits for the endpoint,
 * then prints
 * <ul>
 *   <li>{@code HEAP before after}: heap after GC around creating N agents and stopping each (two
 *       transitions, so every agent has its per-agent state);</li>
 *   <li>{@code STOP ns} per transition and {@code CYCLE ns} per no-work discovery cycle, one line
 *       per timed round after a warm-up.</li>
 * </ul>
 */
public final class LateAttachHost {
    public static void main(String[] args) throws Throwable {
        String mode = args[0];
        int port = Integer.parseInt(args[1]);
        int n = Integer.parseInt(args[2]);
        int calls = Integer.parseInt(args[3]);
        StubEngine.workPercent = 0;
        GenericPartyAgent probe = AgentFactory.create("probe", 9000, 60_000); // the class is loaded before any attach
        if (mode.equals("attached")) {
            String pid = Long.toString(ProcessHandle.current().pid());
            ByteBuddyAgent.attach(new File(System.getProperty("bench.agent.jar")), pid, "port=" + port + ",host=127.0.0.1");
        }
        if (!mode.equals("plain")) {
            // the endpoint opens once the agent's classes are rewritten
            long deadline = System.currentTimeMillis() + 60_000;
            while (Forks.get("http://127.0.0.1:" + port + "/metrics") == null) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("agent endpoint never answered");
                }
                Thread.sleep(50);
            }
        }
        MethodHandle cycle = MethodHandles.privateLookupIn(GenericPartyAgent.class, MethodHandles.lookup())
                .findVirtual(GenericPartyAgent.class, "runDiscoveryCycle", MethodType.methodType(boolean.class));
        // one-off costs (meters registered on first use, a first batch) stay out of the per-agent figure
        probe.stop();
        boolean warmed = (boolean) cycle.invokeExact(probe);
        List<GenericPartyAgent> firstBatch = new ArrayList<>();
        for (int i = 0; i < n / 10; i++) {
            GenericPartyAgent a = AgentFactory.create("w-" + i, 9000, 60_000);
            a.stop();
            firstBatch.add(a);
        }
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        long before = heapAfterGc(mem);
        List<GenericPartyAgent> agents = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            GenericPartyAgent a = AgentFactory.create("m-" + i, 9000, 60_000);
            a.stop();
            agents.add(a);
        }
        long after = heapAfterGc(mem);
        System.out.println("HEAP " + before + " " + after + " " + agents.size());
        agents.clear();

        long sink = warmed ? 1 : 0;
        for (int round = -2; round < 5; round++) { // two warm-up rounds, then five timed ones
            long t0 = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                probe.stop();
            }
            long t1 = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                sink += (boolean) cycle.invokeExact(probe) ? 1 : 0;
            }
            long t2 = System.nanoTime();
            if (round >= 0) {
                System.out.printf("STOP %.1f%nCYCLE %.1f%n", (t1 - t0) / (2.0 * calls), (t2 - t1) / (double) calls);
            }
        }
        System.out.println("DONE " + sink + " " + probe.getLifecycle() + " " + firstBatch.size());
    }

    static long heapAfterGc(MemoryMXBean mem) throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(20);
            used = Math.min(used, mem.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
