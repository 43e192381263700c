package dev.yawlmetrics.agent.metrics;

import dev.yawlmetrics.agent.config.MetricsAgentConfig;
import dev.yawlmetrics.agent.config.Setting;
import dev.yawlmetrics.agent.core.MetricsAgentLog;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Owns the agent's single meter registry. It is created on first use: normally by the agent's
 * background start-up thread, before any engine class is loaded; if engine code records first,
 * that thread pays the one-off construction instead (a few milliseconds), never an exception.
 *
 * <p>This registry is private to the agent (Micrometer is relocated in the shaded jar), so the
 * engine's own Micrometer registries and meters never see ours and vice versa.
 */
public final class MetricsAgentRegistry {
    private static volatile MetricsAgentConfig config = null;
    private static volatile PrometheusMeterRegistry registry;
    /** True between a detach and the next attach: recorders still reached by old code record nothing. */
    private static volatile boolean detached;

    /**
     * Test-only fault injection ({@link Setting#DEBUG_FAIL_RECORDING}): every instrumentation
     * meter fails to register, so every recorder call fails. Proves that a broken recorder never
     * reaches engine code. Not for production.
     */
    private static final String FAIL_RECORDING_PROPERTY = Setting.DEBUG_FAIL_RECORDING.property();

    private MetricsAgentRegistry() {}

    /** The same fault for meters that bypass Micrometer (see {@link LeanHistogram}), on the registry that has it. */
    static void failIfFaultInjected(MeterRegistry registry, String meterName) {
        if (registry instanceof AgentMeterRegistry && ((AgentMeterRegistry) registry).failsRecording()
                && !meterName.startsWith(MetricNames.SELF_PREFIX)) {
            throw new IllegalStateException("fault injected by " + FAIL_RECORDING_PROPERTY);
        }
    }

    private static void injectRecordingFault(PrometheusMeterRegistry r) {
        MetricsAgentLog.warn(FAIL_RECORDING_PROPERTY + "=true: every instrumentation meter will fail (fault injection for tests)");
        r.config().meterFilter(new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                if (!id.getName().startsWith(MetricNames.SELF_PREFIX)) {
                    throw new IllegalStateException("fault injected by " + FAIL_RECORDING_PROPERTY);
                }
                return id;
            }
        });
    }

    /** Called once from premain, before anything can record. */
    public static void configure(MetricsAgentConfig agentConfig) {
        config = agentConfig;
        detached = false;
    }

    /**
     * What a module context hands out: the registry, created on first use, or null after a
     * detach (until the next attach). A class, not a lambda: premain creates it on the engine's
     * thread and must not pay for the lambda machinery or load Micrometer.
     */
    public static Supplier<PrometheusMeterRegistry> attachedRegistry() {
        return ATTACHED;
    }

    private static final Supplier<PrometheusMeterRegistry> ATTACHED = new Supplier<PrometheusMeterRegistry>() {
        @Override
        public PrometheusMeterRegistry get() {
            return registryIfAttached();
        }
    };

    /** The registry, or null after a detach (until the next attach). */
    public static PrometheusMeterRegistry registryIfAttached() {
        return detached ? null : registry();
    }

    /**
     * Drops the registry after the modules unbound their recorders' meters: it is cleared and
     * closed, and the self-metrics start from zero at the next attach.
     */
    public static void detach() {
        PrometheusMeterRegistry r;
        synchronized (MetricsAgentRegistry.class) {
            detached = true;
            r = registry;
            registry = null;
        }
        MetricsAgentHealth.reset();
        if (r != null) {
            r.clear();
            r.close();
        }
    }

    public static MetricsAgentConfig config() {
        MetricsAgentConfig c = config;
        if (c == null) {
            c = MetricsAgentConfig.defaults();
            config = c;
        }
        return c;
    }

    public static PrometheusMeterRegistry registry() {
        PrometheusMeterRegistry r = registry;
        if (r != null) {
            return r;
        }
        boolean created = false;
        synchronized (MetricsAgentRegistry.class) {
            r = registry;
            if (r == null) {
                r = newRegistry(config().commonTags(), config().failRecording());
                registry = r;
                created = true;
            }
        }
        if (created) {
            // Outside the lock: an engine thread that wove a class at start-up waits for the
            // registry to bind its recorders; it need not also wait for the ~30 self-metrics
            // (about 40 ms of a 2-core machine's start-up). The endpoint starts after this.
            // Published already, so a failure here must not fail the caller (the start-up thread
            // would then report "no registry" while woven code records into this one).
            try {
                MetricsAgentHealth.bindTo(r, config());
            } catch (Throwable t) {
                MetricsAgentLog.error("the agent's self-metrics (yawl_metrics_agent_*) could not be registered;"
                        + " the instrumentations' metrics are unaffected: " + t);
            }
        }
        return r;
    }

    public static AgentMeterRegistry newRegistry(Map<String, String> commonTags) {
        return newRegistry(commonTags, false);
    }

    public static AgentMeterRegistry newRegistry(Map<String, String> commonTags, boolean failRecording) {
        MicrometerLogBridge.install(); // before Micrometer's classes look up their loggers
        AgentMeterRegistry r = new AgentMeterRegistry(commonTags, failRecording);
        // Before any meter exists: Micrometer warns about filters added later.
        r.config().meterFilter(gcPauseHistogram());
        r.config().meterFilter(fileDescriptorNames());
        if (!commonTags.isEmpty()) {
            List<Tag> tags = new ArrayList<>();
            commonTags.forEach((k, v) -> tags.add(Tag.of(k, v)));
            r.config().commonTags(Tags.of(tags));
        }
        if (failRecording) {
            injectRecordingFault(r);
        }
        return r;
    }

    /**
     * Micrometer's FileDescriptorMetrics export as process_files_open_files / _max_files; every
     * Prometheus client library, node-exporter-style alert and runbook uses process_open_fds /
     * process_max_fds, so the two gauges are renamed (and lose the "files" unit suffix).
     */
    static MeterFilter fileDescriptorNames() {
        return new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                if ("process.files.open".equals(id.getName())) {
                    return id.withName(MetricNames.PROCESS_OPEN_FDS).withBaseUnit(null);
                }
                if ("process.files.max".equals(id.getName())) {
                    return id.withName(MetricNames.PROCESS_MAX_FDS).withBaseUnit(null);
                }
                return id;
            }
        };
    }

    /**
     * Publishes Micrometer's jvm.gc.pause timer as a histogram with {@link Buckets#GC_PAUSE_SECONDS}.
     * A filter, because the JVM binders register the timer themselves; it must be on the registry
     * before any meter exists (Micrometer warns about late filters).
     */
    static MeterFilter gcPauseHistogram() {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (!MetricNames.JVM_GC_PAUSE.equals(id.getName())) {
                    return config;
                }
                // Timer SLOs are given in the timer's base time unit, nanoseconds.
                double[] nanos = new double[Buckets.GC_PAUSE_SECONDS.length];
                for (int i = 0; i < nanos.length; i++) {
                    nanos[i] = Math.rint(Buckets.GC_PAUSE_SECONDS[i] * 1e9);
                }
                return DistributionStatisticConfig.builder().serviceLevelObjectives(nanos).build().merge(config);
            }
        };
    }
}
