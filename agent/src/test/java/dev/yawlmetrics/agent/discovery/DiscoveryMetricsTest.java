package dev.yawlmetrics.agent.discovery;

import dev.yawlmetrics.agent.lifecycle.FakeAgent;
import dev.yawlmetrics.agent.metrics.MetricsAgentRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DiscoveryMetricsTest {
    private final PrometheusMeterRegistry registry = MetricsAgentRegistry.newRegistry(Map.of());
    private final DiscoveryMetrics metrics = new DiscoveryMetrics(registry);
    private final BackoffAggregates agg = metrics.aggregates();

    private void cycle(FakeAgent a, boolean processed) {
        a.cycle(processed);
        metrics.sleeping(a, a.backoffMs);
    }

    @Test
    void droughtToTheCapAndRecoveryMoveTheAggregates() {
        FakeAgent a = new FakeAgent(50);
        FakeAgent b = new FakeAgent(50);
        metrics.loopStarted(a);
        metrics.loopStarted(b);
        assertEquals(2, agg.agentsAtLevel(0));
        for (int i = 0; i < 12; i++) {
            cycle(a, false);
        }
        cycle(b, false);
        assertEquals(8, agg.maxLevel());
        assertEquals(1, agg.agentsAtLevel(8));
        assertEquals(1, agg.agentsAtLevel(1));
        assertEquals(12, agg.maxConsecutiveEmpty());
        assertEquals(6, agg.maxBackoffCycles()); // 3200 / 50 = 64 = 2^6
        assertEquals(1, agg.agentsInBackoff()); // b's first empty cycle keeps the base interval
        // actual: 1/3200 + 1/50 per ms; base: 2/50
        assertEquals(100 * (1 - (1000.0 / 3200 + 1000.0 / 50) / (2 * 1000.0 / 50)), agg.loadReductionPercent(), 1e-6);

        cycle(a, true);
        assertEquals(1, agg.maxLevel());
        assertEquals(0, agg.agentsInBackoff());
        metrics.loopEnded(a);
        metrics.loopEnded(b);
        assertEquals(0, agg.running());
        assertEquals(0, agg.maxLevel());
        assertEquals(0, agg.loadReductionPercent());
        for (int l = 0; l <= BackoffAggregates.MAX_LEVEL; l++) {
            assertEquals(0, agg.agentsAtLevel(l));
        }
    }

    @Test
    void hundredThousandAgentsAtTheCapGiveTheDesignFigure() {
        // the design's 89-98 % claim: with a 60 s cap a base of 5 s gives 1 - 5/60; with 50 ms, 1 - 1/64
        FakeAgent[] agents = new FakeAgent[100_000];
        for (int i = 0; i < agents.length; i++) {
            agents[i] = new FakeAgent(i % 2 == 0 ? 50 : 5_000);
            metrics.loopStarted(agents[i]);
        }
        for (int c = 0; c < 10; c++) {
            for (FakeAgent a : agents) {
                cycle(a, false);
            }
        }
        double base = 50_000 * (1000.0 / 50) + 50_000 * (1000.0 / 5_000);
        double actual = 50_000 * (1000.0 / 3_200) + 50_000 * (1000.0 / 60_000);
        assertEquals(100 * (1 - actual / base), agg.loadReductionPercent(), 1e-4); // rates are fixed-point (10^9 / ms)
        assertEquals(100_000, agg.agentsInBackoff());
        assertEquals(100_000, agg.agentsAtLevel(8));
    }

    @Test
    void outcomesAndExactNames() {
        metrics.cycleFinished(true, null);
        metrics.cycleFinished(false, null);
        metrics.cycleFinished(false, new SocketTimeoutException("Read timed out"));
        metrics.cycleFinished(false, new IOException("wrapped", new HttpTimeoutException("slow")));
        metrics.cycleFinished(false, new IOException("500"));
        metrics.checkedOut(null);
        metrics.checkedOut("<failure>locked</failure>");
        metrics.checkedOut("<success/>");
        metrics.checkedIn("<success/>");
        metrics.checkedIn(null);
        String text = registry.scrape();
        assertTrue(text.contains("yawl_agent_discovery_attempts_total{outcome=\"success\"} 1.0"), text);
        assertTrue(text.contains("yawl_agent_discovery_attempts_total{outcome=\"no_work\"} 1.0"), text);
        assertTrue(text.contains("yawl_agent_discovery_attempts_total{outcome=\"timeout\"} 2.0"), text);
        assertTrue(text.contains("yawl_agent_discovery_attempts_total{outcome=\"error\"} 1.0"), text);
        assertTrue(text.contains("yawl_agent_work_item_checkout_count_total{outcome=\"failure\"} 2.0"), text);
        assertTrue(text.contains("yawl_agent_work_item_checkout_count_total{outcome=\"success\"} 1.0"), text);
        assertTrue(text.contains("yawl_agent_work_item_checkin_count_total{outcome=\"error\"} 1.0"), text);
        assertTrue(text.contains("yawl_agent_backoff_level_agents{level=\"8\"} 0.0"), text);
        for (String g : new String[] {"yawl_agent_backoff_level ", "yawl_discovery_backoff_cycles ", "yawl_discovery_agents_in_backoff ",
                "yawl_discovery_empty_result_consecutive ", "yawl_discovery_polling_load_reduction_percent ",
                "yawl_discovery_backoff_sleep_time_ms_count "}) {
            assertTrue(text.contains(g), g + " in " + text);
        }
    }
}
