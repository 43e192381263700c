package dev.yawlmetrics.agent.metrics;

import dev.yawlmetrics.agent.config.AgentConfig;
import dev.yawlmetrics.agent.config.InstrumentationName;
import dev.yawlmetrics.agent.core.AgentVersion;
import dev.yawlmetrics.agent.endpoint.EndpointStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The agent's view of itself: which instrumentations are enabled, which actually found and
 * transformed their target, and how many things went wrong. State lives in plain arrays so it can
 * be updated before the registry exists; the meters only read it.
 */
public final class SelfMetrics {
    private static final int N = InstrumentationName.values().length;
    private static final AtomicLongArray APPLIED = new AtomicLongArray(N);
    private static final AtomicLongArray SKIPPED = new AtomicLongArray(N);
    private static final AtomicLongArray TRANSFORM_ERRORS = new AtomicLongArray(N);
    private static final AtomicLongArray RECORDING_ERRORS = new AtomicLongArray(N);

    private SelfMetrics() {}

    public static void markApplied(InstrumentationName name) {
        APPLIED.set(name.ordinal(), 1);
    }

    public static boolean isApplied(InstrumentationName name) {
        return APPLIED.get(name.ordinal()) == 1;
    }

    public static void countSkipped(InstrumentationName name) {
        SKIPPED.incrementAndGet(name.ordinal());
    }

    public static void countTransformationError(InstrumentationName name) {
        TRANSFORM_ERRORS.incrementAndGet(name.ordinal());
    }

    /** @return the new count, so the caller can log only the first. */
    static long countRecordingError(InstrumentationName name) {
        return RECORDING_ERRORS.incrementAndGet(name.ordinal());
    }

    /** Registers the self-metrics; called once when the registry is created. */
    public static void bindTo(MeterRegistry registry, AgentConfig config) {
        Gauge.builder(MetricNames.AGENT_INFO, () -> 1)
                .description("The yawl-metrics-agent is attached; value is always 1")
                .tag("version", AgentVersion.VALUE)
                .strongReference(true)
                .register(registry);
        long configErrors = config.problems().size();
        FunctionCounter.builder(MetricNames.CONFIG_ERRORS, configErrors, v -> v)
                .description("Bad or unknown agent settings found at start-up (each was logged)")
                .register(registry);
        bindEndpoint(registry);
        for (InstrumentationName name : InstrumentationName.values()) {
            int i = name.ordinal();
            String id = name.id();
            boolean enabled = config.isEnabled(name);
            Gauge.builder(MetricNames.INSTRUMENTATION_ENABLED, () -> enabled ? 1 : 0)
                    .description("1 when the instrumentation is switched on by configuration")
                    .tag("instrumentation", id).strongReference(true).register(registry);
            Gauge.builder(MetricNames.INSTRUMENTATION_APPLIED, APPLIED, a -> a.get(i))
                    .description("1 once the instrumentation's target was loaded and transformed")
                    .tag("instrumentation", id).register(registry);
            FunctionCounter.builder(MetricNames.INSTRUMENTATION_SKIPPED, SKIPPED, a -> a.get(i))
                    .description("Target classes left untouched: shape drifted, members cannot be added on retransformation, or their loader cannot see the agent")
                    .tag("instrumentation", id).register(registry);
            FunctionCounter.builder(MetricNames.TRANSFORMATION_ERRORS, TRANSFORM_ERRORS, a -> a.get(i))
                    .description("Errors while transforming a target class (the class loads unchanged)")
                    .tag("instrumentation", id).register(registry);
            FunctionCounter.builder(MetricNames.RECORDING_ERRORS, RECORDING_ERRORS, a -> a.get(i))
                    .description("Exceptions swallowed while recording a metric (engine calls unaffected)")
                    .tag("instrumentation", id).register(registry);
        }
    }

    private static void bindEndpoint(MeterRegistry registry) {
        for (int slot = 0; slot < EndpointStats.slots(); slot++) {
            int s = slot;
            FunctionCounter.builder(MetricNames.ENDPOINT_REQUESTS, s, EndpointStats::requests)
                    .description("Answers of the agent's metrics endpoint by HTTP status")
                    .tag("code", EndpointStats.labelOf(s)).register(registry);
        }
        for (EndpointStats.Rejection r : EndpointStats.Rejection.values()) {
            FunctionCounter.builder(MetricNames.ENDPOINT_REJECTED, r, EndpointStats::rejected)
                    .description("Requests or connections of the metrics endpoint turned away for overload")
                    .tag("reason", r.label()).register(registry);
        }
        Gauge.builder(MetricNames.ENDPOINT_CONNECTIONS, EndpointStats::openConnections)
                .description("Connections to the metrics endpoint open now").register(registry);
        FunctionCounter.builder(MetricNames.ENDPOINT_TIMEOUTS, 0, v -> EndpointStats.timedOut())
                .description("Endpoint connections closed at their request-read, idle or response-write deadline")
                .register(registry);
        FunctionCounter.builder(MetricNames.WEB_CONFIG_ERRORS, 0, v -> EndpointStats.webConfigErrors())
                .description("Web config file loads that failed (no endpoint at start-up; last good kept on rotation)")
                .register(registry);
    }
}
