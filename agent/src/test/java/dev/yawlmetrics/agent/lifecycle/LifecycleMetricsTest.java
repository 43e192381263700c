package dev.yawlmetrics.agent.lifecycle;

import dev.yawlmetrics.agent.lifecycle.FakeAgent.State;
import dev.yawlmetrics.agent.metrics.MetricsAgentRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LifecycleMetricsTest {
    private final PrometheusMeterRegistry registry = MetricsAgentRegistry.newRegistry(Map.of());
    private final LifecycleMetrics metrics = new LifecycleMetrics(registry);

    @Test
    void transitionsDurationsLiveCountsAndRestartsWithExactExportedNames() {
        FakeAgent a = new FakeAgent(5);
        metrics.created(a, State.CREATED, 1_000_000L);
        metrics.transition(a, State.CREATED, State.INITIALIZING, 4_000_000L);
        metrics.transition(a, State.INITIALIZING, State.DISCOVERING, 5_000_000L);
        assertEquals(1, metrics.live(State.DISCOVERING.ordinal()));
        assertEquals(0, metrics.live(State.CREATED.ordinal()));
        metrics.transition(a, State.DISCOVERING, State.DISCOVERING, 6_000_000L); // set to the same state
        metrics.transition(a, State.DISCOVERING, State.STOPPING, 9_000_000L);
        metrics.transition(a, State.STOPPING, State.STOPPED, 9_500_000L);
        metrics.stopped();
        metrics.transition(a, State.STOPPED, State.INITIALIZING, 10_000_000L);

        String text = registry.scrape();
        assertTrue(text.contains("yawl_agent_creations_total 1.0"), text);
        assertTrue(text.contains("yawl_agent_stopped_total 1.0"), text);
        assertTrue(text.contains("yawl_agent_create_failures_total 0.0"), text);
        assertTrue(text.contains("yawl_agent_state_transitions_total{from=\"CREATED\",to=\"INITIALIZING\"} 1.0"), text);
        assertTrue(text.contains("yawl_agent_state_transitions_total{from=\"DISCOVERING\",to=\"DISCOVERING\"} 1.0"), text);
        assertTrue(text.contains("yawl_agent_state_duration_ms_sum{state=\"CREATED\"} 3.0"), text);
        // the self-set did not restart the DISCOVERING clock: 5 ms -> 9 ms
        assertTrue(text.contains("yawl_agent_state_duration_ms_sum{state=\"DISCOVERING\"} 4.0"), text);
        assertTrue(text.contains("yawl_agent_live{state=\"INITIALIZING\"} 1.0"), text);
        assertFalse(text.contains("yawl_agent_live{state=\"STOPPED\"}"), text);
        assertTrue(text.contains("yawl_agent_reconnect_count_total{reason=\"discovery_restart\"} 1.0"), text);
        assertFalse(text.contains("yawl_agent_total"), "no stripped 'created' name: " + text);
    }

    @Test
    void reconnectReasonsFromHeartbeatAndLifecycleShareOneFamily() {
        // the heartbeat instrumentation registers the same name with other reasons and its own description
        io.micrometer.core.instrument.Counter.builder(dev.yawlmetrics.agent.metrics.MetricNames.AGENT_RECONNECTS)
                .description("another description").tag("reason", "heartbeat_miss").register(registry).increment();
        FakeAgent a = new FakeAgent(5);
        metrics.created(a, State.CREATED, 1L);
        metrics.transition(a, State.CREATED, State.STOPPED, 2L);
        metrics.transition(a, State.STOPPED, State.INITIALIZING, 3L);
        String text = registry.scrape();
        assertTrue(text.contains("yawl_agent_reconnect_count_total{reason=\"discovery_restart\"} 1.0"), text);
        assertTrue(text.contains("yawl_agent_reconnect_count_total{reason=\"heartbeat_miss\"} 1.0"), text);
    }

    /** The engine's shutdown hook stops agents that are already stopped: no restart, however often. */
    @Test
    void aDoubleStopIsNotARestartOnlyStartAfterStopIs() {
        FakeAgent a = new FakeAgent(5);
        metrics.created(a, State.CREATED, 1L);
        metrics.transition(a, State.CREATED, State.INITIALIZING, 2L);
        metrics.transition(a, State.INITIALIZING, State.DISCOVERING, 3L);
        metrics.transition(a, State.DISCOVERING, State.STOPPING, 4L);
        metrics.transition(a, State.STOPPING, State.STOPPED, 5L);
        metrics.transition(a, State.STOPPED, State.STOPPING, 6L); // stop() again
        metrics.transition(a, State.STOPPING, State.STOPPED, 7L);
        assertTrue(registry.scrape().contains("yawl_agent_reconnect_count_total{reason=\"discovery_restart\"} 0.0"), registry.scrape());
        metrics.transition(a, State.STOPPED, State.INITIALIZING, 8L); // start()
        assertTrue(registry.scrape().contains("yawl_agent_reconnect_count_total{reason=\"discovery_restart\"} 1.0"), registry.scrape());
    }
}
