package dev.yawlmetrics.agent.jvm;

import dev.yawlmetrics.agent.metrics.MetricsAgentRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

class JvmMetricsTest {
    @Test
    void gcPauseIsAHistogramWithTheAlertBucket() {
        PrometheusMeterRegistry registry = MetricsAgentRegistry.newRegistry(Map.of());
        Timer.builder("jvm.gc.pause").tag("gc", "ZGC Minor Pauses").register(registry).record(Duration.ofMillis(300));
        String text = registry.scrape();
        assertTrue(text.contains("# TYPE jvm_gc_pause_seconds histogram"), text);
        assertTrue(text.contains("jvm_gc_pause_seconds_bucket{gc=\"ZGC Minor Pauses\",le=\"0.5\"} 1"), text);
        assertTrue(text.contains("jvm_gc_pause_seconds_bucket{gc=\"ZGC Minor Pauses\",le=\"0.2\"} 0"), text);
    }

    @Test
    void otherTimersKeepTheirDefaults() {
        PrometheusMeterRegistry registry = MetricsAgentRegistry.newRegistry(Map.of());
        Timer.builder("jvm.gc.concurrent.phase.time").register(registry).record(Duration.ofMillis(3));
        assertTrue(!registry.scrape().contains("jvm_gc_concurrent_phase_time_seconds_bucket"), registry.scrape());
    }

    @Test
    void bindersBindUnderStandardNames() {
        PrometheusMeterRegistry registry = MetricsAgentRegistry.newRegistry(Map.of());
        try (JvmMetrics jvm = new JvmMetrics()) {
            assertTrue(jvm.bindTo(registry).isEmpty());
            String text = registry.scrape();
            for (String name : new String[] {"jvm_memory_used_bytes{", "jvm_memory_max_bytes{", "jvm_threads_live_threads ",
                    "jvm_threads_peak_threads ", "jvm_classes_loaded_classes ", "process_cpu_usage ", "process_uptime_seconds ",
                    "process_open_fds ", "process_max_fds "}) {
                assertTrue(text.contains(name), name + "\n" + text);
            }
            assertTrue(!text.contains("process_files_open_files"), "renamed, not duplicated");
        }
    }
}
