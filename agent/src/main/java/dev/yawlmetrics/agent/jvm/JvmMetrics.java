package dev.yawlmetrics.agent.jvm;

import dev.yawlmetrics.agent.metrics.MetricNames;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;

import java.util.List;

/**
 * Micrometer's standard JVM binders on the agent's registry, under Micrometer's standard names
 * (jvm_memory_*, jvm_gc_*, jvm_threads_*, jvm_classes_*, process_cpu_usage, system_cpu_*,
 * process_uptime_seconds, process_open_fds / process_max_fds, ...). None of them starts a thread: gauges are read at scrape time and
 * GC pauses arrive as JMX notifications on the JVM's own notification thread.
 */
public final class JvmMetrics implements AutoCloseable {
    /** jvm_gc_pause_seconds buckets, seconds: 0.5 s is the design's p99 alert line. */
    static final double[] GC_PAUSE_BUCKETS_SECONDS = {
        0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10
    };

    private final JvmGcMetrics gc = new JvmGcMetrics();

    /** Binds every JVM binder; each one that fails is skipped, the others still bind. */
    public List<String> bindTo(MeterRegistry registry) {
        List<String> failures = new java.util.ArrayList<>();
        MeterBinder[] binders = {new JvmMemoryMetrics(), gc, new JvmThreadMetrics(), new ClassLoaderMetrics(),
                new ProcessorMetrics(), new UptimeMetrics(), new FileDescriptorMetrics()};
        for (MeterBinder b : binders) {
            try {
                b.bindTo(registry);
            } catch (Throwable t) {
                failures.add(b.getClass().getSimpleName() + ": " + t);
            }
        }
        return failures;
    }

    /** Removes the GC notification listeners. */
    @Override
    public void close() {
        gc.close();
    }

    /**
     * Micrometer's FileDescriptorMetrics export as process_files_open_files / _max_files; every
     * Prometheus client library, node-exporter-style alert and runbook uses process_open_fds /
     * process_max_fds, so the two gauges are renamed (and lose the "files" unit suffix).
     */
    public static MeterFilter fileDescriptorNames() {
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
     * Publishes jvm.gc.pause as a histogram with {@link #GC_PAUSE_BUCKETS_SECONDS}. Must be on
     * the registry before any meter is registered (Micrometer warns about late filters), so
     * AgentMetrics adds it when it builds the registry.
     */
    public static MeterFilter gcPauseHistogram() {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (!MetricNames.JVM_GC_PAUSE.equals(id.getName())) {
                    return config;
                }
                // Timer SLOs are given in the timer's base time unit, nanoseconds.
                double[] nanos = new double[GC_PAUSE_BUCKETS_SECONDS.length];
                for (int i = 0; i < nanos.length; i++) {
                    nanos[i] = Math.rint(GC_PAUSE_BUCKETS_SECONDS[i] * 1e9);
                }
                return DistributionStatisticConfig.builder().serviceLevelObjectives(nanos).build().merge(config);
            }
        };
    }
}
