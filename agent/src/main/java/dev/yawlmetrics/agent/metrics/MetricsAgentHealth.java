package dev.yawlmetrics.agent.metrics;

import dev.yawlmetrics.agent.config.MetricsAgentConfig;
import dev.yawlmetrics.agent.config.InstrumentationName;
import dev.yawlmetrics.agent.core.MetricsAgentLog;
import dev.yawlmetrics.agent.core.MetricsAgentVersion;
import dev.yawlmetrics.agent.instrumentation.InstrumentationOutcomes;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The agent's view of itself: which instrumentations are enabled, which actually found and
 * transformed their target, and how many things went wrong. State lives in plain arrays so it can
 * be updated before the registry exists; the meters only read it.
 */
public final class MetricsAgentHealth {
    private static final int N = InstrumentationName.values().length;
    private static final AtomicLongArray APPLIED = new AtomicLongArray(N);
    private static final AtomicLongArray SKIPPED = new AtomicLongArray(N);
    private static final AtomicLongArray TRANSFORM_ERRORS = new AtomicLongArray(N);
    private static final AtomicLongArray RECORDING_ERRORS = new AtomicLongArray(N);

    /** Told when an instrumentation is applied, skipped or fails: the attach status republishes. */
    private static volatile Runnable onChange = () -> { };

    private MetricsAgentHealth() {}

    public static void onChange(Runnable listener) {
        onChange = listener == null ? () -> { } : listener;
    }

    private static void changed() {
        try {
            onChange.run();
        } catch (Throwable ignored) {
            // status publishing must never disturb a transformation or a recorder
        }
    }

    /** A detached agent's counts are gone with its meters; the next attach starts from zero. */
    static void reset() {
        for (int i = 0; i < N; i++) {
            APPLIED.set(i, 0);
            SKIPPED.set(i, 0);
            TRANSFORM_ERRORS.set(i, 0);
            RECORDING_ERRORS.set(i, 0);
        }
    }

    public static long skipped(InstrumentationName name) {
        return SKIPPED.get(name.ordinal());
    }

    public static long transformationErrors(InstrumentationName name) {
        return TRANSFORM_ERRORS.get(name.ordinal());
    }

    public static long recordingErrors(InstrumentationName name) {
        return RECORDING_ERRORS.get(name.ordinal());
    }

    /** The gate's and the modules' reports, counted here. */
    public static final InstrumentationOutcomes OUTCOMES = new InstrumentationOutcomes() {
        @Override
        public void applied(InstrumentationName name) {
            markApplied(name);
        }

        @Override
        public void skipped(InstrumentationName name) {
            SKIPPED.incrementAndGet(name.ordinal());
            changed();
        }

        @Override
        public void transformationError(InstrumentationName name) {
            countTransformationError(name);
        }
    };

    private static void markApplied(InstrumentationName name) {
        if (APPLIED.getAndSet(name.ordinal(), 1) == 0) {
            changed();
        }
    }

    public static boolean isApplied(InstrumentationName name) {
        return APPLIED.get(name.ordinal()) == 1;
    }

    private static void countTransformationError(InstrumentationName name) {
        TRANSFORM_ERRORS.incrementAndGet(name.ordinal());
        changed();
    }

    /**
     * Reports an exception caught while recording a metric. Never throws; logs the first one per
     * instrumentation so a broken recorder is visible without flooding the engine's stderr.
     */
    public static void recordingError(InstrumentationName instrumentation, Throwable error) {
        try {
            if (RECORDING_ERRORS.incrementAndGet(instrumentation.ordinal()) == 1) {
                changed();
                MetricsAgentLog.warn("recording a " + instrumentation.id() + " metric failed (engine call unaffected; "
                        + "further failures are only counted in yawl_metrics_agent_recording_errors_total): " + error);
            }
        } catch (Throwable ignored) {
            // Never let metrics bookkeeping reach engine code.
        }
    }

    /** Registers the self-metrics; called once when the registry is created. */
    public static void bindTo(MeterRegistry registry, MetricsAgentConfig config) {
        Gauge.builder(MetricNames.AGENT_INFO, () -> 1)
                .description("The yawl-metrics-agent is attached; value is always 1")
                .tag("version", MetricsAgentVersion.VALUE)
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
