package dev.yawlmetrics.agent.discovery;

import dev.yawlmetrics.agent.lifecycle.FakeAgent;
import dev.yawlmetrics.agent.lifecycle.FakeAgent.State;
import dev.yawlmetrics.agent.lifecycle.LifecycleMetrics;
import dev.yawlmetrics.agent.metrics.MetricsAgentRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** A transition and a discovery cycle allocate nothing once the meters exist (measured per thread). */
class HotPathAllocationTest {
    private static final int OPS = 200_000;

    @Test
    void transitionsAndCyclesDoNotAllocate() {
        PrometheusMeterRegistry registry = MetricsAgentRegistry.newRegistry(Map.of());
        LifecycleMetrics lifecycle = new LifecycleMetrics(registry);
        DiscoveryMetrics discovery = new DiscoveryMetrics(registry);
        FakeAgent agent = new FakeAgent(50);
        lifecycle.created(agent, State.CREATED, 1);
        discovery.loopStarted(agent);
        run(lifecycle, discovery, agent, 50_000); // meters, counters and JIT warm
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(id);
        run(lifecycle, discovery, agent, OPS);
        long allocated = threads.getThreadAllocatedBytes(id) - before;
        System.out.printf("allocated %d bytes for %d transitions + %d discovery cycles%n", allocated, OPS, OPS);
        assertTrue(allocated < OPS / 10, "bytes allocated: " + allocated);
    }

    private static void run(LifecycleMetrics lifecycle, DiscoveryMetrics discovery, FakeAgent agent, int n) {
        for (int i = 0; i < n; i++) {
            State from = (i & 1) == 0 ? State.CREATED : State.DISCOVERING;
            State to = (i & 1) == 0 ? State.DISCOVERING : State.CREATED;
            lifecycle.transition(agent, from, to, 2L + i);
            agent.cycle((i % 10) == 0);
            discovery.sleeping(agent, agent.backoffMs);
            discovery.cycleFinished((i % 10) == 0, null);
        }
    }
}
