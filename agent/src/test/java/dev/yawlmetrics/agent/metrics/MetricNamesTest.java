package dev.yawlmetrics.agent.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Guards against Micrometer's Prometheus naming traps: every name in MetricNames, registered as
 * the meter type its suffix implies, must come out of a real scrape under the expected name.
 */
class MetricNamesTest {

    @Test
    void everyNameSurvivesPrometheusNaming() throws Exception {
        PrometheusMeterRegistry r = MetricsAgentRegistry.newRegistry(Map.of());
        StringBuilder expectations = new StringBuilder();
        for (Field f : MetricNames.class.getFields()) {
            if (!Modifier.isStatic(f.getModifiers()) || f.getType() != String.class) {
                continue;
            }
            String name = (String) f.get(null);
            String prom = name.replace('.', '_');
            assertFalse(name.endsWith("created") || name.endsWith(".total") || name.endsWith("bucket"),
                    name + " ends in a suffix OpenMetrics reserves");
            if (name.endsWith("_ms")) {
                DistributionSummary.builder(name).serviceLevelObjectives(Buckets.LATENCY_MS).register(r).record(1);
                expectations.append(prom).append("_bucket{le=\"1.0\"}\n").append(prom).append("_count\n");
            } else if (isCounter(name)) {
                Counter.builder(name).register(r).increment();
                expectations.append(prom).append("_total\n");
            } else {
                Gauge.builder(name, () -> 1).register(r);
                expectations.append(prom).append(" \n");
            }
        }
        String scrape = r.scrape();
        for (String expected : expectations.toString().split("\n")) {
            assertTrue(scrape.contains("\n" + expected) || scrape.startsWith(expected), "missing " + expected + " in\n" + scrape);
        }
    }

    /** Names that the issues define as counters. */
    private static boolean isCounter(String name) {
        return name.endsWith("count") && !name.endsWith("live_agents_count") || name.endsWith("errors")
                || name.endsWith("skipped") || name.endsWith("renewal_success") || name.endsWith(".requests")
                || name.endsWith("creations") || name.endsWith("stopped") || name.endsWith("failures")
                || name.endsWith("transitions") || name.endsWith("attempts") || name.endsWith("requests_sent");
    }
}
