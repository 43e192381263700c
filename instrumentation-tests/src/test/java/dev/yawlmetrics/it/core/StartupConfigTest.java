package dev.yawlmetrics.it.core;

import dev.yawlmetrics.fixtures.hosts.CoreHost;
import dev.yawlmetrics.testsupport.AgentJvm;
import dev.yawlmetrics.testsupport.FreePorts;
import dev.yawlmetrics.testsupport.Scrape;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad settings, busy ports and precedence, seen from a real forked engine JVM. */
class StartupConfigTest {

    @Test
    void busyPortLogsOneLineAndTheEngineRunsNormally() throws Exception {
        try (ServerSocket occupied = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
             AgentJvm jvm = AgentJvm.builder(CoreHost.class).agentArgs("host=127.0.0.1,port=" + occupied.getLocalPort()).start()) {
            jvm.awaitStdout("HOST READY"::equals, Duration.ofSeconds(30));
            assertEquals("app found=3 npe=NullPointerException:namespace", jvm.command("market 2"));
            waitForLog(jvm, "metrics endpoint NOT started");
            List<String> lines = jvm.agentLog().stream().filter(l -> l.contains("NOT started")).toList();
            assertEquals(1, lines.size(), jvm.describe());
            assertTrue(lines.get(0).contains("port " + occupied.getLocalPort()) && lines.get(0).contains("already in use"), lines.get(0));
            assertTrue(jvm.exitAndWait(Duration.ofSeconds(15)), "engine must still exit normally");
        }
    }

    @Test
    void aSecondJvmWithTheSameJavaOptsRunsNormally() throws Exception {
        int port = FreePorts.next();
        String opts = "host=127.0.0.1,port=" + port;
        try (AgentJvm engine = AgentJvm.builder(CoreHost.class).agentArgs(opts).start().awaitReady();
             AgentJvm adminCli = AgentJvm.builder(CoreHost.class).agentArgs(opts).start()) {
            adminCli.awaitStdout("HOST READY"::equals, Duration.ofSeconds(30));
            assertEquals("app found=3 npe=NullPointerException:namespace", adminCli.command("market 1"));
            waitForLog(adminCli, "already in use");
            assertTrue(adminCli.exitAndWait(Duration.ofSeconds(15)));
            engine.command("market 1");
            assertEquals(2.0, engine.scrape().value("yawl_marketplace_query_latency_ms_count", "query", "namespace"),
                    "the first JVM keeps its endpoint and counts only its own calls");
        }
    }

    @Test
    void badSettingsAreLoggedCountedAndTheEngineStarts() throws Exception {
        try (AgentJvm jvm = AgentJvm.builder(CoreHost.class)
                .agentArgs("port=0,host=127.0.0.1,http.threads=lots,bogus")
                .sysProp("yawl.instrumentation.kafka.enabled", "true")
                .start().awaitReady()) {
            List<String> log = jvm.agentLog();
            assertTrue(log.contains("[yawl-metrics-agent] WARN agent argument http.threads='lots' is not a number; using 2"), jvm.describe());
            assertTrue(log.contains("[yawl-metrics-agent] WARN agent argument 'bogus' is malformed (expected key=value, e.g. port=9464); ignored"));
            assertTrue(log.stream().anyMatch(l -> l.contains("system property yawl.instrumentation.kafka.enabled names unknown instrumentation 'kafka'")));
            jvm.command("market 1");
            Scrape s = jvm.scrape();
            assertEquals(3.0, s.value("yawl_metrics_agent_config_errors_total"));
        }
    }

    @Test
    void unusablePortFallsBackToTheDefaultAndSaysSo() throws Exception {
        // Whatever happens to port 9464 on this machine, the engine starts and the line is there.
        try (AgentJvm jvm = AgentJvm.builder(CoreHost.class).agentArgs("port=abc,host=127.0.0.1").start()) {
            jvm.awaitStdout("HOST READY"::equals, Duration.ofSeconds(30));
            assertEquals("app found=3 npe=NullPointerException:namespace", jvm.command("market 1"));
            assertTrue(jvm.agentLog().contains("[yawl-metrics-agent] WARN agent argument port='abc' is not a number; using 9464"),
                    jvm.describe());
        }
    }

    @Test
    void precedenceAgentArgumentOverSystemPropertyOverEnvironment() throws Exception {
        int fromArgs = FreePorts.next();
        try (AgentJvm jvm = AgentJvm.builder(CoreHost.class)
                .agentArgs("host=127.0.0.1,port=" + fromArgs)
                .sysProp("yawl.metrics.port", "1")
                .sysProp("yawl.metrics.path", "/from-property")
                .env("YAWL_METRICS_PATH", "/from-env")
                .env("YAWL_METRICS_TAGS", "cluster=env-cluster")
                .env("YAWL_INSTRUMENTATION_MARKETPLACE_ENABLED", "false")
                .start().awaitReady()) {
            assertEquals(fromArgs, jvm.port());
            assertEquals("/from-property", jvm.metricsPath());
            Scrape s = jvm.scrape();
            assertEquals("env-cluster", s.find("yawl_metrics_agent_info").get(0).labels().get("cluster"));
            assertEquals(0.0, s.value("yawl_metrics_agent_instrumentation_enabled", "instrumentation", "marketplace", "cluster", "env-cluster"));
        }
    }

    @Test
    void globalSwitchOffMeansNoPortAndNoTransformation() throws Exception {
        int port = FreePorts.next();
        try (AgentJvm jvm = AgentJvm.builder(CoreHost.class).agentArgs("enabled=false,host=127.0.0.1,port=" + port).start()) {
            jvm.awaitStdout("HOST READY"::equals, Duration.ofSeconds(30));
            jvm.command("market 1");
            assertTrue(jvm.agentLogShows(l -> l.contains("disabled by yawl.metrics.enabled=false")), jvm.describe());
            assertTrue(jvm.agentLog().stream().noneMatch(l -> l.contains(": instrumented ")), jvm.describe());
            try (ServerSocket free = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
                assertEquals(port, free.getLocalPort(), "the agent must not have opened its port");
            }
        }
    }

    @Test
    void startupLogListsEveryInstrumentationAndItsState() throws Exception {
        try (AgentJvm jvm = AgentJvm.builder(CoreHost.class).agentArgs("port=0,host=127.0.0.1,jvm.enabled=false").start().awaitReady()) {
            String line = jvm.agentLog().stream().filter(l -> l.contains(" starting on Java ")).findFirst().orElseThrow();
            assertTrue(line.contains("jvm=off"), line);
            assertTrue(line.contains("marketplace=on"), line);
            for (String n : new String[] {"heartbeat", "etcd", "marketplace", "lifecycle", "discovery", "httpclient", "jvm"}) {
                assertTrue(line.contains(" " + n + "="), n + " missing from " + line);
            }
        }
    }

    private static void waitForLog(AgentJvm jvm, String text) throws InterruptedException {
        for (int i = 0; i < 300 && jvm.agentLog().stream().noneMatch(l -> l.contains(text)); i++) {
            Thread.sleep(20);
        }
    }
}
