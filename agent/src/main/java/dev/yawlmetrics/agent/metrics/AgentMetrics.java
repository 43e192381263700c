package dev.yawlmetrics.agent.metrics;

import dev.yawlmetrics.agent.config.AgentConfig;
import dev.yawlmetrics.agent.config.InstrumentationName;
import dev.yawlmetrics.agent.core.AgentLog;
import dev.yawlmetrics.agent.jvm.JvmMetrics;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Owns the agent's single meter registry. It is created on first use: normally by the agent's
 * background start-up thread, before any engine class is loaded; if engine code records first,
 * that thread pays the one-off construction instead (a few milliseconds), never an exception.
 *
 * <p>This registry is private to the agent (Micrometer is relocated in the shaded jar), so the
 * engine's own Micrometer registries and meters never see ours and vice versa.
 */
public final class AgentMetrics {
    private static volatile AgentConfig config = null;
    private static volatile PrometheusMeterRegistry registry;

    /**
     * Test-only fault injection: every instrumentation meter fails to register, so every recorder
     * call fails. Proves that a broken recorder never reaches engine code. Not for production.
     */
    public static final String FAIL_RECORDING_PROPERTY = "yawl.metrics.debug.fail-recording";

    private AgentMetrics() {}

    /** The same fault for meters that bypass Micrometer (see {@link LeanHistogram}). */
    static void failIfFaultInjected(String meterName) {
        if (Boolean.getBoolean(FAIL_RECORDING_PROPERTY) && !meterName.startsWith("yawl.agent.")) {
            throw new IllegalStateException("fault injected by " + FAIL_RECORDING_PROPERTY);
        }
    }

    private static void injectRecordingFault(PrometheusMeterRegistry r) {
        AgentLog.warn(FAIL_RECORDING_PROPERTY + "=true: every instrumentation meter will fail (fault injection for tests)");
        r.config().meterFilter(new io.micrometer.core.instrument.config.MeterFilter() {
            @Override
            public io.micrometer.core.instrument.Meter.Id map(io.micrometer.core.instrument.Meter.Id id) {
                if (!id.getName().startsWith("yawl.agent.")) {
                    throw new IllegalStateException("fault injected by " + FAIL_RECORDING_PROPERTY);
                }
                return id;
            }
        });
    }

    /** Called once from premain, before anything can record. */
    public static void configure(AgentConfig agentConfig) {
        config = agentConfig;
    }

    public static AgentConfig config() {
        AgentConfig c = config;
        if (c == null) {
            c = AgentConfig.defaults();
            config = c;
        }
        return c;
    }

    public static PrometheusMeterRegistry registry() {
        PrometheusMeterRegistry r = registry;
        if (r == null) {
            synchronized (AgentMetrics.class) {
                r = registry;
                if (r == null) {
                    r = newRegistry(config().commonTags());
                    SelfMetrics.bindTo(r, config());
                    if (Boolean.getBoolean(FAIL_RECORDING_PROPERTY)) {
                        injectRecordingFault(r);
                    }
                    registry = r;
                }
            }
        }
        return r;
    }

    /** True once the registry exists; lets the endpoint and tests avoid creating it by accident. */
    public static boolean isInitialised() {
        return registry != null;
    }

    public static PrometheusMeterRegistry newRegistry(Map<String, String> commonTags) {
        PrometheusMeterRegistry r = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // Before any meter exists: Micrometer warns about filters added later.
        r.config().meterFilter(JvmMetrics.gcPauseHistogram());
        r.config().meterFilter(JvmMetrics.fileDescriptorNames());
        if (!commonTags.isEmpty()) {
            List<Tag> tags = new ArrayList<>();
            commonTags.forEach((k, v) -> tags.add(Tag.of(k, v)));
            r.config().commonTags(Tags.of(tags));
        }
        return r;
    }

    /**
     * Reports an exception caught while recording a metric. Never throws; logs the first one per
     * instrumentation so a broken recorder is visible without flooding the engine's stderr.
     */
    public static void recordingError(InstrumentationName instrumentation, Throwable error) {
        try {
            if (SelfMetrics.countRecordingError(instrumentation) == 1) {
                AgentLog.warn("recording a " + instrumentation.id() + " metric failed (engine call unaffected; "
                        + "further failures are only counted in yawl_metrics_agent_recording_errors_total): " + error);
            }
        } catch (Throwable ignored) {
            // Never let metrics bookkeeping reach engine code.
        }
    }
}
