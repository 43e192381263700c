package dev.yawlmetrics.it.attach;

import dev.yawlmetrics.testsupport.AgentJvm;
import dev.yawlmetrics.testsupport.Scrape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same attach -> detach -> attach on a Java 17 engine, with the commands run by Java 17 too:
 * the JDK's HTTP client (a JDK class, retransformed and restored) and the JVM metrics.
 */
class AttachOnJava17Test {

    @Test
    void attachDetachAttachOnJava17(@TempDir Path dir) throws Exception {
        String java17 = System.getProperty("java17.home", "/usr/lib/jvm/java-17-openjdk-amd64");
        assertTrue(Files.isExecutable(Path.of(java17, "bin", "java")), "Java 17 not found at " + java17);
        Path host = dir.resolve("Host17.java");
        Files.writeString(host, """
                import com.sun.net.httpserver.HttpServer;
                import java.net.InetSocketAddress;
                import java.net.URI;
                import java.net.http.*;
                import java.util.TreeMap;

                public class Host17 {
                    public static void main(String[] args) throws Exception {
                        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
                        server.createContext("/", e -> { byte[] b = "pong".getBytes(); e.sendResponseHeaders(200, b.length); e.getResponseBody().write(b); e.close(); });
                        server.start();
                        HttpClient client = HttpClient.newHttpClient();
                        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/ping");
                        long gets = 0;
                        System.out.println("HOST READY");
                        java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in));
                        String line;
                        while ((line = in.readLine()) != null && !line.equals("exit")) {
                            String[] w = line.split(" ");
                            if (w[0].equals("work")) {
                                StringBuilder sb = new StringBuilder();
                                for (int i = 0; i < Integer.parseInt(w[1]); i++) {
                                    HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
                                    gets++;
                                    if (i == 0) sb.append(r.statusCode()).append(r.body());
                                }
                                System.out.println("OK " + sb);
                            } else if (w[0].equals("gets")) {
                                System.out.println("OK " + gets);
                            } else if (w[0].equals("threads")) {
                                TreeMap<String, Integer> names = new TreeMap<>();
                                for (Thread t : Thread.getAllStackTraces().keySet()) names.merge(t.getName().replace(' ', '_'), 1, Integer::sum);
                                StringBuilder sb = new StringBuilder();
                                names.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : "|").append(k).append('*').append(v));
                                System.out.println("OK " + sb);
                            } else {
                                System.out.println("OK " + System.getProperty("java.specification.version"));
                            }
                        }
                        System.out.println("OK bye");
                        server.stop(0);
                    }
                }
                """);
        try (AgentJvm jvm = AgentJvm.builder(host.toString()).javaHome(java17).classPath(null).withoutAgent().start()) {
            jvm.awaitStdout(l -> l.equals("HOST READY"), Duration.ofSeconds(60));
            assertEquals("17", jvm.command("version"));
            String pid = Long.toString(jvm.process().pid());
            String reference = jvm.command("work 20");
            String threads = jvm.command("threads");

            Cli attach = Cli.runWith(java17, "attach", pid, "port=0,host=127.0.0.1,jvm.enabled=true");
            assertEquals(0, attach.exit(), attach.toString());
            assertFalse(attach.err().contains("JEP 451"), "no dynamic-loading warning before Java 21: " + attach);
            long g0 = Long.parseLong(jvm.command("gets"));
            assertEquals(reference, jvm.command("work 20"));
            Scrape s = AttachDetachTest.scrape(attach.port());
            assertEquals(Long.parseLong(jvm.command("gets")) - g0, s.sum("yawl_http_client_requests_sent_total", "method", "GET"), s.text());
            assertTrue(s.has("jvm_memory_used_bytes"), s.text());

            Cli detach = Cli.runWith(java17, "detach", pid);
            assertEquals(0, detach.exit(), detach.toString());
            assertTrue(detach.out().contains("restored 1 class(es)") && detach.out().contains("1 checked free of agent code"), detach.toString());
            AttachDetachTest.assertClosed(attach.port());
            assertEquals(reference, jvm.command("work 20"));
            assertEquals(AttachDetachTest.withoutAttachListener(threads), AttachDetachTest.withoutAttachListener(jvm.command("threads")));

            Cli again = Cli.runWith(java17, "attach", pid, "port=0,host=127.0.0.1");
            assertEquals(0, again.exit(), again.toString());
            long g1 = Long.parseLong(jvm.command("gets"));
            assertEquals(reference, jvm.command("work 20"));
            Scrape s2 = AttachDetachTest.scrape(again.port());
            assertEquals(Long.parseLong(jvm.command("gets")) - g1, s2.sum("yawl_http_client_requests_sent_total", "method", "GET"), s2.text());
            assertEquals(0, Cli.runWith(java17, "detach", pid).exit());
            assertTrue(jvm.stderr().stream().noneMatch(l -> l.contains("WARNING")), jvm.describe());
            assertTrue(jvm.exitAndWait(Duration.ofSeconds(20)), jvm.describe());
        }
    }
}
