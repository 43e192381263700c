package dev.yawlmetrics.agent.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.validate.Validated;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
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
        super(FixedConfig.INSTANCE);
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

    /**
     * PrometheusConfig.DEFAULT's values, as constants. DEFAULT looks each one up and validates it
     * with Micrometer's validators (a stream pipeline and regular expressions for durations), which
     * was about a third of the registry's cold construction on the start-up thread (~20-40 ms of
     * CPU, docs/benchmarks.md "Start-up"); a value nobody can set has nothing to validate.
     */
    static final class FixedConfig implements PrometheusConfig {
        static final FixedConfig INSTANCE = new FixedConfig();
        private static final Duration STEP = Duration.ofMinutes(1);

        @Override
        public String get(String key) {
            return null;
        }

        @Override
        public boolean descriptions() {
            return true;
        }

        @Override
        public Duration step() {
            return STEP;
        }

        @Override
        public Validated<?> validate() {
            return Validated.none();
        }
    }
}
