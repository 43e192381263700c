package dev.yawlmetrics.it.core;

import dev.yawlmetrics.fixtures.hosts.CoreHost;
import dev.yawlmetrics.testsupport.AgentJvm;
import dev.yawlmetrics.testsupport.Scrape;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** "Never harm the host", one property per test, each in a real forked JVM with the agent. */
class HostSafetyTest {

    @Test
    void appliedTurnsOneOnlyWhenTheTargetIsLoaded() throws Exception {
        try (AgentJvm jvm = AgentJvm.builder(CoreHost.class).start().awaitReady()) {
            Scrape before = jvm.scrape();
            assertEquals(1.0, before.value("yawl_metrics_agent_instrumentation_enabled", "instrumentation", "marketplace"));
            assertEquals(0.0, before.value("yawl_metrics_agent_instrumentation_applied", "instrumentation", "marketplace"));
            jvm.command("market 1");
            assertEquals(1.0, jvm.scrape().value("yawl_metrics_agent_instrumentation_applied", "instrumentation", "marketplace"));
        }
    }

    @Test
    void childFirstWebappLoaderIsInstrumentedToo() throws Exception {
        try (AgentJvm jvm = AgentJvm.builder(CoreHost.class).start().awaitReady()) {
            String answer = jvm.command("market-child-first 4");
            assertTrue(answer.startsWith("webapp found=3 npe=NullPointerException:namespace"), answer);
            assertEquals(5.0, jvm.scrape().value("yawl_marketplace_query_latency_ms_count", "query", "namespace"));
            assertTrue(jvm.agentLogShows(l -> l.contains("instrumented") && l.contains("ChildFirstClassLoader")),
                    jvm.describe());
        }
    }

    @Test
    void engineBehaviourIsUnchangedWhenTheAdviceCannotReachTheAgent() throws Exception {
        // A loader that cannot see the system class path: advice calling the agent would fail
        // with NoClassDefFoundError, so the gate leaves the class exactly as compiled.
        try (AgentJvm plain = AgentJvm.builder(CoreHost.class).withoutAgent().start();
             AgentJvm jvm = AgentJvm.builder(CoreHost.class).start().awaitReady()) {
            plain.awaitStdout("HOST READY"::equals, Duration.ofSeconds(30));
            String expected = plain.command("market-isolated 3");
            assertEquals("isolated found=3 npe=NullPointerException:namespace", expected);
            assertEquals(expected, jvm.command("market-isolated 3"));
            assertTrue(jvm.agentLogShows(l -> l.contains("AgentMarketplace unchanged") && l.contains("URLClassLoader")
                    && l.contains("does not see the agent's")), jvm.describe());
            assertTrue(jvm.scrape().value("yawl_metrics_agent_instrumentation_skipped_total", "instrumentation", "marketplace") >= 1);
        }
    }

    @Test
    void aFailingRecorderNeverReachesEngineCodeAndIsCounted() throws Exception {
        try (AgentJvm jvm = AgentJvm.builder(CoreHost.class).sysProp("yawl.metrics.debug.fail-recording", "true")
                .start().awaitReady()) {
            String answer = jvm.command("market 5");
            assertEquals("app found=3 npe=NullPointerException:namespace", answer);
            Scrape s = jvm.scrape();
            // One per recorder call: the constructor, 3 publishes, 6 queries.
            assertEquals(10.0, s.value("yawl_metrics_agent_recording_errors_total", "instrumentation", "marketplace"));
            assertFalse(s.has("yawl_marketplace_query_latency_ms_count"));
            assertEquals(1, jvm.agentLog().stream().filter(l -> l.contains("recording a marketplace metric failed")).count(),
                    "logged once, then only counted: " + jvm.describe());
        }
    }

    @Test
    void noNonDaemonThreadsTheJvmExitsWhenMainReturns() throws Exception {
        try (AgentJvm jvm = AgentJvm.builder(CoreHost.class).start().awaitReady()) {
            jvm.command("market 1");
            jvm.scrape();
            jvm.scrape();
            assertTrue(jvm.exitAndWait(Duration.ofSeconds(15)), "JVM still running after main returned: " + jvm.describe());
            assertEquals(0, jvm.process().exitValue());
        }
    }

    @Test
    void theHostsOwnMicrometerKeepsItsOwnRegistryAndMeters() throws Exception {
        String cp = AgentJvm.fixtureClasses() + File.pathSeparator + System.getProperty("host.micrometer.classpath");
        try (AgentJvm jvm = AgentJvm.builder(CoreHost.class).classPath(cp).start().awaitReady()) {
            jvm.command("market 2");
            String answer = jvm.command("micrometer");
            // The host sees exactly its own meter and its own Micrometer 1.15, loaded by the app loader.
            assertEquals("names=[yawl.marketplace.query_latency_ms] count=7.0 loader=app version=1.15.5", answer);
            Scrape s = jvm.scrape();
            // ... and our endpoint shows only our meters: no 'owner' label, our histogram unchanged.
            assertEquals(3.0, s.value("yawl_marketplace_query_latency_ms_count", "query", "namespace"));
            assertTrue(s.find("yawl_marketplace_query_latency_ms_total").isEmpty());
            assertTrue(s.samples().stream().noneMatch(x -> x.labels().containsKey("owner")));
        }
    }

    @Test
    void theEnginesPrometheusClientSettingsDoNotReachTheAgent() throws Exception {
        // What an engine running its own Prometheus client 1.x may set for it: the bundled client's
        // loader used to read these too, threw on names it did not know and left the agent without
        // a registry (no metrics at all), or would have changed the agent's exposition.
        try (AgentJvm jvm = AgentJvm.builder(CoreHost.class)
                .env("IO_PROMETHEUS_EXPORTER_INCLUDE_CREATED_TIMESTAMPS", "true")
                .env("IO_PROMETHEUS_METRICS_HISTOGRAM_NATIVE_ONLY", "true")
                .sysProp("prometheus.config", "/nonexistent/engine-prometheus.properties")
                .start().awaitReady()) {
            jvm.command("market 2");
            Scrape s = jvm.scrape();
            assertEquals(3.0, s.value("yawl_marketplace_query_latency_ms_count", "query", "namespace"), jvm.describe());
            assertTrue(s.has("yawl_marketplace_query_latency_ms_bucket"), "classic buckets, as the dashboards expect");
            assertTrue(s.samples().stream().noneMatch(x -> x.name().endsWith("_created")), "no _created series");
            // Logged before the registry would have answered the scrape above, so no wait for it.
            assertTrue(jvm.agentLog().stream().noneMatch(l -> l.contains("meter registry")), jvm.describe());
        }
    }

    @Test
    void theEnginesLoggingIsInitialisedByTheEngineNotByTheAgent() throws Exception {
        // Tomcat's catalina.sh sets java.util.logging.manager the same way. Micrometer left to
        // itself would initialise java.util.logging from the agent's start-up thread.
        try (AgentJvm jvm = AgentJvm.builder(CoreHost.class)
                .sysProp("java.util.logging.manager", "dev.yawlmetrics.fixtures.hosts.RecordingLogManager")
                .start().awaitReady()) {
            jvm.command("market 2");
            Scrape s = jvm.scrape(); // the registry, every JVM binder and the marketplace meters exist by now
            assertTrue(s.has("jvm_threads_live_threads") && s.has("yawl_marketplace_query_latency_ms_count"), jvm.describe());
            assertTrue(jvm.stdout().stream().noneMatch(l -> l.startsWith("LOGMANAGER")),
                    "java.util.logging initialised before the engine used it: " + jvm.describe());
            // The fixture does see an initialisation: the engine's own, on the engine's thread.
            assertEquals("engine manager=RecordingLogManager", jvm.command("jul"));
            List<String> created = jvm.stdout().stream().filter(l -> l.startsWith("LOGMANAGER")).toList();
            assertEquals(1, created.size(), jvm.describe());
            assertFalse(created.get(0).contains("yawl-metrics"), created.get(0));
        }
    }

    @Test
    void noJvmWarningsOnJava25() throws Exception {
        try (AgentJvm jvm = AgentJvm.builder(CoreHost.class).jvmArg("-Xshare:auto").start().awaitReady()) {
            jvm.command("market 1");
            jvm.command("market-child-first 1");
            jvm.scrape();
            List<String> warnings = jvm.stderr().stream()
                    .filter(l -> !l.startsWith("[yawl-metrics-agent]"))
                    .filter(l -> l.contains("WARNING") || l.contains("Sharing is only supported") || l.contains("Unsafe"))
                    .toList();
            assertEquals(List.of(), warnings, jvm.describe());
        }
    }
}
