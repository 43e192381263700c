package dev.yawlmetrics.agent.lifecycle;

import dev.yawlmetrics.agent.instrumentation.ModuleBindings;
import dev.yawlmetrics.agent.instrumentation.ModuleContext;
import dev.yawlmetrics.agent.metrics.MetricsAgentRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A recorder records into the registry its module was bound to and nowhere else: nothing before
 * the bind or after the unbind (what a detach relies on: old woven code may still call it), and
 * after a new bind (a re-attach) into the new registry, from zero.
 */
class RecorderBindingTest {
    private final LifecycleInstrumentation module = new LifecycleInstrumentation();

    @AfterEach
    void unbind() {
        new ModuleBindings(List.of(module), null).unbindAll();
    }

    private void bind(PrometheusMeterRegistry registry) {
        new ModuleBindings(List.of(module), ModuleContext.of(registry)).bindAll();
    }

    private static double stopped(PrometheusMeterRegistry registry) {
        var c = registry.find("yawl.agent.stopped").counter();
        return c == null ? -1 : c.count();
    }

    @Test
    void theRecorderRecordsIntoTheBoundRegistryOnlyWhileBound() {
        PrometheusMeterRegistry global = MetricsAgentRegistry.registry();
        PrometheusMeterRegistry first = MetricsAgentRegistry.newRegistry(Map.of("cluster", "a"));
        PrometheusMeterRegistry second = MetricsAgentRegistry.newRegistry(Map.of());

        LifecycleRecorder.stopped(false);
        assertNull(LifecycleRecorder.METRICS.get(), "unbound: no meters, nothing recorded");

        bind(first);
        LifecycleRecorder.stopped(false);
        LifecycleRecorder.stopped(true); // a stop of a stopped agent
        assertEquals(1.0, stopped(first));
        assertTrue(first.scrape().contains("yawl_agent_stopped_total{cluster=\"a\"} 1.0"), first.scrape());
        assertEquals(-1, stopped(global), "never the agent's global registry");

        unbind();
        LifecycleRecorder.stopped(false);
        assertNull(LifecycleRecorder.METRICS.get());
        assertEquals(1.0, stopped(first), "unbound: old code records nothing");

        bind(second);
        LifecycleRecorder.stopped(false);
        assertEquals(1.0, stopped(second), "a new bind builds fresh meters on the new registry");
        assertEquals(1.0, stopped(first));
        assertEquals(-1, stopped(global));
    }
}
