package dev.yawlmetrics.it.core;

import dev.yawlmetrics.testsupport.AgentJvm;
import dev.yawlmetrics.testsupport.Scrape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The agent is compiled for Java 17: it must attach, serve and stay quiet on a Java 17 JVM too. */
class Java17SmokeTest {

    @Test
    void agentServesMetricsOnJava17(@TempDir Path dir) throws Exception {
        String java17 = System.getProperty("java17.home", "/usr/lib/jvm/java-17-openjdk-amd64");
        assertTrue(Files.isExecutable(Path.of(java17, "bin", "java")), "Java 17 not found at " + java17);
        Path host = dir.resolve("Host17.java");
        Files.writeString(host, """
                public class Host17 {
                    public static void main(String[] args) throws Exception {
                        System.out.println("HOST READY");
                        System.out.flush();
                        java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in));
                        String line;
                        while ((line = in.readLine()) != null && !line.equals("exit")) {
                            System.out.println("OK " + System.getProperty("java.specification.version"));
                        }
                    }
                }
                """);
        try (AgentJvm jvm = AgentJvm.builder(host.toString()).javaHome(java17).classPath(null).start().awaitReady()) {
            assertEquals("17", jvm.command("version"));
            Scrape s = jvm.scrape();
            assertEquals(1.0, s.value("yawl_metrics_agent_info"));
            assertTrue(jvm.agentLog().get(0).contains("starting on Java 17"), jvm.describe());
            assertTrue(jvm.stderr().stream().noneMatch(l -> l.contains("WARNING")), jvm.describe());
            assertTrue(jvm.exitAndWait(Duration.ofSeconds(15)));
        }
    }
}
