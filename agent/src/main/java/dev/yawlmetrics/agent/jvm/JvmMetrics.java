package dev.yawlmetrics.agent.jvm;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;

import java.util.List;

/**
 * Micrometer's standard JVM binders on the agent's registry, under Micrometer's standard names
 * (jvm_memory_*, jvm_gc_*, jvm_threads_*, jvm_classes_*, process_cpu_usage, system_cpu_*,
 * process_uptime_seconds, process_open_fds / process_max_fds, ...). None of them starts a thread: gauges are read at scrape time and
 * GC pauses arrive as JMX notifications on the JVM's own notification thread.
 */
public final class JvmMetrics implements AutoCloseable {
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
}
