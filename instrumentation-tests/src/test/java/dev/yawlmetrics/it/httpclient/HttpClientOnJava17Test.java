package dev.yawlmetrics.it.httpclient;

import dev.yawlmetrics.testsupport.AgentJvm;
import dev.yawlmetrics.testsupport.Scrape;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The agent is built for 17: the java.net.http bridge must work there too (same private funnel). */
class HttpClientOnJava17Test {

    @Test
    void requestsAreCountedOnJava17() throws Exception {
        String home = System.getProperty("java17.home", "/usr/lib/jvm/java-17-openjdk-amd64");
        assumeTrue(Files.isExecutable(Paths.get(home, "bin", "java")), "no Java 17 at " + home);
        Path source = Paths.get("src/test/resources/java17/HttpClient17Host.java").toAbsolutePath();
        try (AgentJvm jvm = AgentJvm.builder(source.toString()).javaHome(home).classPath(null).start().awaitReady()) {
            assertEquals("204 204 204 204", jvm.command("send 2"));
            Scrape s = jvm.scrape();
            assertEquals(4.0, s.value("yawl_http_client_requests_sent_total", "method", "GET", "status_class", "2xx"), s.text());
            assertEquals(0.0, s.value("yawl_http_client_connections_active"));
            assertEquals(1.0, s.value("yawl_metrics_agent_instrumentation_applied", "instrumentation", "httpclient"));
            HttpClientRequestsTest.assertNoJvmWarnings(jvm);
        }
    }
}
