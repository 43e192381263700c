package dev.yawlmetrics.it.jvm;

import dev.yawlmetrics.fixtures.hosts.HttpClientHost;
import dev.yawlmetrics.testsupport.AgentJvm;
import dev.yawlmetrics.testsupport.Scrape;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Micrometer's JVM binders on the agent registry, in forked Java 25 JVMs with ZGC (generational,
 * the only ZGC on 25) and G1 forcing a few collections. Prints the gc/action/cause label values
 * each collector really produces: the rules must filter on those, not on the design's gc="ZGC".
 */
class JvmMetricsTest {

    @Test
    void zgcPausesAreAHistogramWithTheHalfSecondBucket() throws Exception {
        Set<String> gcs = gcPauseLabels("-XX:+UseZGC");
        // Java 25 ZGC is generational only; its pauses are reported per generation.
        assertTrue(gcs.stream().anyMatch(l -> l.startsWith("gc=ZGC Minor Pauses,action=end of GC pause,")), gcs.toString());
        assertTrue(gcs.stream().anyMatch(l -> l.startsWith("gc=ZGC Major Pauses,action=end of GC pause,cause=System.gc()")), gcs.toString());
        assertFalse(gcs.stream().anyMatch(l -> l.startsWith("gc=ZGC,")), "no pause carries gc=\"ZGC\": " + gcs);
    }

    @Test
    void g1PausesAreAHistogramWithTheHalfSecondBucket() throws Exception {
        Set<String> gcs = gcPauseLabels("-XX:+UseG1GC");
        assertTrue(gcs.stream().anyMatch(l -> l.startsWith("gc=G1 Young Generation,action=end of minor GC,")), gcs.toString());
        assertTrue(gcs.stream().anyMatch(l -> l.startsWith("gc=G1 Old Generation,action=end of major GC,cause=System.gc()")), gcs.toString());
    }

    @Test
    void switchedOffExportsNoJvmMetrics() throws Exception {
        try (AgentJvm jvm = AgentJvm.builder(HttpClientHost.class)
                .sysProp("yawl.instrumentation.jvm.enabled", "false").start().awaitReady()) {
            Scrape s = jvm.scrape();
            assertTrue(s.samples().stream().noneMatch(x -> x.name().startsWith("jvm_") || x.name().startsWith("process_cpu")), s.text());
            assertEquals(0.0, s.value("yawl_metrics_agent_instrumentation_applied", "instrumentation", "jvm"));
        }
    }

    /** Runs a host with the collector, forces GCs, checks the standard names; returns "gc=..,action=..,cause=.." sets. */
    private static Set<String> gcPauseLabels(String collectorFlag) throws Exception {
        try (AgentJvm jvm = AgentJvm.builder(HttpClientHost.class).jvmArg(collectorFlag).jvmArg("-Xmx64m")
                .start().awaitReady()) {
            jvm.command("alloc 300");
            jvm.command("gc 2");
            Scrape s = awaitPauses(jvm);
            assertEquals("histogram", s.types().get("jvm_gc_pause_seconds"), s.text());
            for (String le : List.of("0.5", "0.1", "1.0")) {
                assertTrue(s.has("jvm_gc_pause_seconds_bucket", "le", le), "bucket le=" + le + "\n" + s.text());
            }
            for (String name : List.of("jvm_memory_used_bytes", "jvm_memory_max_bytes", "jvm_threads_live_threads",
                    "jvm_threads_peak_threads", "jvm_classes_loaded_classes", "process_cpu_usage", "system_cpu_count",
                    "process_uptime_seconds", "jvm_gc_memory_allocated_bytes_total")) {
                assertTrue(s.has(name), name + " missing\n" + s.text());
            }
            assertTrue(s.has("jvm_memory_used_bytes", "area", "heap"));
            assertEquals(1.0, s.value("yawl_metrics_agent_instrumentation_applied", "instrumentation", "jvm"));
            Set<String> labels = new TreeSet<>();
            for (Scrape.Sample x : s.find("jvm_gc_pause_seconds_count")) {
                labels.add("gc=" + x.labels().get("gc") + ",action=" + x.labels().get("action") + ",cause=" + x.labels().get("cause"));
            }
            Set<String> concurrent = s.find("jvm_gc_concurrent_phase_time_seconds_count").stream()
                    .map(x -> x.labels().toString()).collect(Collectors.toCollection(TreeSet::new));
            System.out.println("[" + collectorFlag + "] jvm_gc_pause_seconds series: " + labels);
            System.out.println("[" + collectorFlag + "] jvm_gc_concurrent_phase_time_seconds series: " + concurrent);
            List<String> warnings = jvm.stderr().stream().filter(l -> l.contains("WARNING")).toList();
            assertTrue(warnings.isEmpty(), warnings.toString());
            // The binders start no thread that keeps the JVM alive: main returning ends the JVM.
            assertTrue(jvm.exitAndWait(Duration.ofSeconds(20)), "JVM still running after main returned\n" + jvm.describe());
            return labels;
        }
    }

    /**
     * Waits for both kinds of pause the commands caused: one from allocation and one from
     * System.gc(). GC notifications reach the binder asynchronously, one by one: a scrape right
     * after the first (in one CI run, the young pause) may not show the System.gc() one yet.
     */
    private static Scrape awaitPauses(AgentJvm jvm) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        Scrape s = jvm.scrape();
        while (!bothKindsOfPause(s) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            s = jvm.scrape();
        }
        assertTrue(s.sum("jvm_gc_pause_seconds_count") > 0, "no GC pause recorded\n" + s.text());
        return s;
    }

    private static boolean bothKindsOfPause(Scrape s) {
        List<Scrape.Sample> pauses = s.find("jvm_gc_pause_seconds_count");
        return pauses.stream().anyMatch(x -> "System.gc()".equals(x.labels().get("cause")))
                && pauses.stream().anyMatch(x -> !"System.gc()".equals(x.labels().get("cause")));
    }

}
