package dev.yawlmetrics.bench.percall;

import dev.yawlmetrics.fixtures.agents.AgentFactory;
import dev.yawlmetrics.fixtures.engine.StubEngine;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;
import org.yawlfoundation.yawl.integration.autonomous.GenericPartyAgent;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * GenericPartyAgent's instrumented events, each on one never-started agent:
 * <ul>
 *   <li>{@code stop()}: two {@code lifecycle.set(...)} transitions (STOPPED -> STOPPING -> STOPPED
 *       after the first call), each counted and timed by the agent; reported per transition
 *       ({@code @OperationsPerInvocation(2)}; bench/RESULTS.md runs before that reported per call);</li>
 *   <li>{@code runDiscoveryCycle()} (private; called through a method handle in both forks) with a
 *       stub engine that has no work: one discovery attempt counted as {@code no_work}.</li>
 * </ul>
 */
@org.openjdk.jmh.annotations.State(org.openjdk.jmh.annotations.Scope.Thread)
public class AgentLifecycleCalls extends InstrumentedCall {
    private GenericPartyAgent agent;
    private MethodHandle discoveryCycle;

    @Setup
    public void setUp() throws Exception {
        StubEngine.workPercent = 0;
        // Never started, so the port is never bound.
        agent = AgentFactory.create("bench-lifecycle", 9000, 60_000);
        discoveryCycle = MethodHandles.privateLookupIn(GenericPartyAgent.class, MethodHandles.lookup())
                .findVirtual(GenericPartyAgent.class, "runDiscoveryCycle", MethodType.methodType(boolean.class));
    }

    @Override
    protected String recordedSeries(String method) {
        return switch (method) {
            case "stopTwoTransitions" -> "yawl_agent_stopped_total";
            case "discoveryCycleNoWork" -> "yawl_agent_discovery_attempts_total{outcome=\"no_work\"}";
            default -> throw new IllegalArgumentException(method);
        };
    }

    /** Reported per transition (JMH divides by 2), the unit the 1.3x target is about. */
    @Benchmark
    @org.openjdk.jmh.annotations.OperationsPerInvocation(2)
    public Object stopTwoTransitions() {
        agent.stop();
        return agent.getLifecycle();
    }

    @Benchmark
    public boolean discoveryCycleNoWork() throws Throwable {
        return (boolean) discoveryCycle.invokeExact(agent);
    }
}
