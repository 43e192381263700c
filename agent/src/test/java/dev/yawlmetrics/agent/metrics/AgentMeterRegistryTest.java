package dev.yawlmetrics.agent.metrics;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AgentMeterRegistryTest {

    @Test
    void theFixedConfigIsMicrometersDefaultWithoutTheLookups() {
        // If a Micrometer upgrade changes a default, this fails instead of the endpoint changing silently.
        PrometheusConfig fixed = AgentMeterRegistry.FixedConfig.INSTANCE;
        PrometheusConfig micrometer = PrometheusConfig.DEFAULT;
        assertEquals(micrometer.prefix(), fixed.prefix());
        assertEquals(micrometer.descriptions(), fixed.descriptions());
        assertEquals(micrometer.step(), fixed.step());
        assertEquals(micrometer.prometheusProperties(), fixed.prometheusProperties());
        assertTrue(micrometer.validate().isValid());
        assertTrue(fixed.validate().isValid());
    }

    @Test
    void theRegistryServesHelpLinesAsWithTheDefault() {
        AgentMeterRegistry registry = new AgentMeterRegistry(java.util.Map.of(), false);
        io.micrometer.core.instrument.Counter.builder("fixture.calls").description("calls of the fixture").register(registry).increment();
        String text = registry.scrape();
        assertTrue(text.contains("# HELP fixture_calls_total calls of the fixture"), text);
        assertTrue(text.contains("fixture_calls_total 1.0"), text);
    }
}
