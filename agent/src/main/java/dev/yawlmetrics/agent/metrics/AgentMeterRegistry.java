package dev.yawlmetrics.agent.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The agent's registry, carrying what was configured for it: the common tags (Micrometer applies
 * them to its own meters; the lean histograms, which register through the registry's Prometheus
 * collectors, read them from here) and the test-only recording fault. Both kinds of meter get
 * their labels from the registry they were handed, not from a global.
 */
public final class AgentMeterRegistry extends PrometheusMeterRegistry {
    private final Map<String, String> commonTags;
    private final boolean failsRecording;

    AgentMeterRegistry(Map<String, String> commonTags, boolean failsRecording) {
        super(PrometheusConfig.DEFAULT);
        this.commonTags = Collections.unmodifiableMap(new LinkedHashMap<>(commonTags));
        this.failsRecording = failsRecording;
    }

    public Map<String, String> commonTags() {
        return commonTags;
    }

    /** {@code yawl.metrics.debug.fail-recording}: every instrumentation meter fails to register. */
    boolean failsRecording() {
        return failsRecording;
    }

    /** The common tags of an agent registry; none for any other registry. */
    public static Map<String, String> commonTagsOf(MeterRegistry registry) {
        return registry instanceof AgentMeterRegistry ? ((AgentMeterRegistry) registry).commonTags : Map.of();
    }
}
