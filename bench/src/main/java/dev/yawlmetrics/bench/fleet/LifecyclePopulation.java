package dev.yawlmetrics.bench.fleet;

import dev.yawlmetrics.fixtures.agents.AgentFactory;
import dev.yawlmetrics.fixtures.engine.StubEngine;
import org.yawlfoundation.yawl.integration.autonomous.GenericPartyAgent;

import java.util.ArrayList;
import java.util.List;

/**
 * n GenericPartyAgent instances constructed against the stub engine (state CREATED, as an engine
 * holds its configured agents); each exercise starts one more agent, waits for at least one
 * discovery cycle and stops it, so every transition and discovery series exists.
 */
public final class LifecyclePopulation implements Population {
    private final List<GenericPartyAgent> agents = new ArrayList<>();

    @Override
    public String name() {
        return "lifecycle";
    }

    @Override
    public String[] instrumentedClasses() {
        return new String[] {GenericPartyAgent.class.getName()};
    }

    @Override
    public void populate(int n) throws Exception {
        for (int i = 0; i < n; i++) {
            // Never started, so the port is never bound.
            agents.add(AgentFactory.create("bench-" + agents.size(), 9000, 60_000));
        }
    }

    @Override
    public void exercise() throws Exception {
        GenericPartyAgent agent = AgentFactory.create("bench-exercise", dev.yawlmetrics.bench.harness.Forks.freePort(), 60_000);
        long cycles = StubEngine.discoveryCalls.get();
        agent.start();
        long deadline = System.currentTimeMillis() + 10_000;
        while (StubEngine.discoveryCalls.get() == cycles && System.currentTimeMillis() < deadline) {
            Thread.sleep(5);
        }
        agent.stop();
        if (StubEngine.discoveryCalls.get() == cycles) {
            throw new IllegalStateException("no discovery cycle within 10 s of start()");
        }
    }
}
