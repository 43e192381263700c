package dev.yawlmetrics.it.tomcat;

import dev.yawlmetrics.testsupport.EtcdServer;
import dev.yawlmetrics.testsupport.FreePorts;
import dev.yawlmetrics.testsupport.Scrape;
import dev.yawlmetrics.testsupport.Tools;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine as it really runs: Debian's Tomcat 10 ({@code tomcat10}), started and stopped with
 * {@code catalina.sh} from a private CATALINA_BASE on free ports, a webapp whose classes are the
 * engine-shaped fixtures (loaded by Tomcat's webapp class loader, with the webapp's own Micrometer
 * in WEB-INF/lib), and the agent added in {@code bin/setenv.sh} by the README's line, copied from
 * the README at run time: {@code catalina.sh} passes JAVA_OPTS through {@code eval}, so a line that
 * is not eval-safe fails here.
 */
class TomcatSetenvTest {
    private static final Path CATALINA_HOME = Paths.get("/usr/share/tomcat10");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** The README's setenv.sh line (the one that attaches the agent). */
    static String readmeLine() throws Exception {
        Path readme = Paths.get(System.getProperty("fixtures.classes")).getParent().getParent().getParent().resolve("README.md");
        List<String> lines = Files.readAllLines(readme).stream()
                .filter(l -> l.startsWith("JAVA_OPTS=\"$JAVA_OPTS -javaagent:/opt/yawl/yawl-metrics-agent.jar")).toList();
        assertEquals(1, lines.size(), "one attach line in README.md: " + lines);
        return lines.get(0);
    }

    @Test
    void theReadmeSetenvLineAttachesTheAgentToARealTomcatAndItStartsAndStopsCleanly(@TempDir Path base) throws Exception {
        if (!Files.isExecutable(CATALINA_HOME.resolve("bin/catalina.sh"))) {
            Tools.require("catalina.sh (in " + CATALINA_HOME + "/bin)", "tomcat10"); // fails under CI, skips loudly otherwise
        }
        Path servletApi = CATALINA_HOME.resolve("lib/servlet-api.jar");
        Assumptions.assumeTrue(Files.exists(servletApi), "tomcat10 without servlet-api.jar");
        try (EtcdServer etcd = EtcdServer.startNew()) {
            etcd.grantLease(30, 3600); // the engine's client sends its TTL as the lease id (README)
            int http = FreePorts.next();
            int shutdown = FreePorts.next();
            int metricsPort = FreePorts.next();
            layout(base, http, shutdown);
            webapp(base.resolve("webapps/yawl"), servletApi);

            String line = readmeLine();
            String setenv = line.replace("/opt/yawl/yawl-metrics-agent.jar", Paths.get(System.getProperty("agent.jar")).toAbsolutePath().toString())
                    .replace("=port=9464", "=port=" + metricsPort);
            assertTrue(setenv.contains("port=" + metricsPort) && !setenv.contains("/opt/yawl"), setenv);
            Files.writeString(base.resolve("bin/setenv.sh"), "# the README's line, with this test's jar path and port\n" + setenv + "\n");

            Map<String, String> env = Map.of("CATALINA_HOME", CATALINA_HOME.toString(), "CATALINA_BASE", base.toString(),
                    "CATALINA_PID", base.resolve("tomcat.pid").toString(), "JAVA_HOME", System.getProperty("java.home"),
                    "HOSTNAME", "tomcat-test", "YAWL_REGISTRY_URL", etcd.clientUrl(),
                    // fixture-only knob: renewals every 500 ms instead of the engine's 10 s
                    "CATALINA_OPTS", "-Dfixture.heartbeat.periodMs=500");
            Cmd start = catalina(base, env, "start");
            assertEquals(0, start.rc(), start.output());
            Path out = base.resolve("logs/catalina.out");
            Cmd stop;
            try {
                Scrape first = awaitMetric(metricsPort, "yawl_heartbeat_executor_task_count_total", 1, out);
                Scrape later = awaitMetric(metricsPort, "yawl_heartbeat_executor_task_count_total",
                        first.value("yawl_heartbeat_executor_task_count_total", "cluster", "prod", "pod", "tomcat-test") + 40, out);
                assertEquals(1.0, later.value("yawl_metrics_agent_instrumentation_applied", "instrumentation", "heartbeat", "cluster", "prod", "pod", "tomcat-test"));
                assertTrue(later.value("yawl_heartbeat_renewal_success_total", "outcome", "success", "cluster", "prod", "pod", "tomcat-test") > 0, later.text());
                String log = Files.readString(out);
                assertTrue(log.contains("[webapp] registered 20 agents"), log);
                assertTrue(log.contains("webapp Micrometer io.micrometer.core.instrument.simple.SimpleMeterRegistry from org.apache.catalina.loader"), log);
                assertTrue(log.matches("(?s).*instrumented org\\.yawlfoundation\\.yawl\\.integration\\.autonomous\\.registry\\.EtcdAgentRegistryClient \\(loader org\\.apache\\.catalina\\.loader\\.\\w+.*"), log);
            } finally {
                stop = catalina(base, env, "stop", "60");
            }
            assertEquals(0, stop.rc(), stop.output());
            long pid = Long.parseLong(Files.exists(base.resolve("tomcat.pid")) ? Files.readString(base.resolve("tomcat.pid")).trim() : "-1");
            assertFalse(pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "Tomcat still running after stop");
            String log = Files.readString(base.resolve("logs/catalina.out"));
            assertTrue(log.contains("Server startup in"), log);
            assertTrue(log.contains("[webapp] stopped"), log);
            assertTrue(log.contains("Stopping ProtocolHandler") || log.contains("Destroying ProtocolHandler"), log);
            // The engine's own client logs the renewals its shutdownNow() interrupts; that is the engine, not Tomcat.
            List<String> bad = log.lines().filter(l -> !l.startsWith("[fixture] heartbeat"))
                    .filter(l -> l.contains("SEVERE") || l.contains("Exception") || l.contains("WARN")).toList();
            assertEquals(List.of(), bad, "clean start and stop: no SEVERE, exception or warning lines in catalina.out");
        }
    }

    private static void layout(Path base, int http, int shutdown) throws Exception {
        for (String d : List.of("bin", "conf", "logs", "temp", "work", "webapps")) {
            Files.createDirectories(base.resolve(d));
        }
        for (String f : List.of("web.xml", "logging.properties", "catalina.properties", "context.xml")) {
            Path from = Files.exists(Paths.get("/etc/tomcat10", f)) ? Paths.get("/etc/tomcat10", f) : CATALINA_HOME.resolve("etc").resolve(f);
            Files.copy(from, base.resolve("conf").resolve(f));
        }
        Files.writeString(base.resolve("conf/server.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <Server port="%d" address="127.0.0.1" shutdown="SHUTDOWN">
                  <Service name="Catalina">
                    <Connector port="%d" address="127.0.0.1" protocol="HTTP/1.1" connectionTimeout="20000"/>
                    <Engine name="Catalina" defaultHost="localhost">
                      <Host name="localhost" appBase="webapps" unpackWARs="false" autoDeploy="false"/>
                    </Engine>
                  </Service>
                </Server>
                """.formatted(shutdown, http));
    }

    /** WEB-INF/classes: the engine-shaped fixtures and a listener; WEB-INF/lib: the webapp's own Micrometer. */
    private static void webapp(Path app, Path servletApi) throws Exception {
        Path classes = app.resolve("WEB-INF/classes");
        Path fixtures = Paths.get(System.getProperty("fixtures.classes"));
        try (Stream<Path> s = Files.walk(fixtures.resolve("org"))) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                Path to = classes.resolve(fixtures.relativize(p).toString());
                Files.createDirectories(to.getParent());
                Files.copy(p, to);
            }
        }
        Path lib = Files.createDirectories(app.resolve("WEB-INF/lib"));
        List<String> micrometer = List.of(System.getProperty("host.micrometer.classpath").split(File.pathSeparator));
        for (String jar : micrometer) {
            Files.copy(Paths.get(jar), lib.resolve(Paths.get(jar).getFileName()));
        }
        Path src = Files.createDirectories(app.getParent().getParent().resolve("temp/src/dev/yawlmetrics/webapp")).resolve("EngineListener.java");
        Files.writeString(src, """
                package dev.yawlmetrics.webapp;

                import io.micrometer.core.instrument.Counter;
                import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
                import jakarta.servlet.ServletContextEvent;
                import jakarta.servlet.ServletContextListener;
                import org.yawlfoundation.yawl.integration.autonomous.registry.AgentInfo;
                import org.yawlfoundation.yawl.integration.autonomous.registry.EtcdAgentRegistryClient;

                import java.util.List;

                /** Starts the engine-shaped registry client with 20 agents, as the engine does at deployment. */
                public class EngineListener implements ServletContextListener {
                    private EtcdAgentRegistryClient client;
                    private SimpleMeterRegistry registry;

                    @Override
                    public void contextInitialized(ServletContextEvent event) {
                        registry = new SimpleMeterRegistry();
                        Counter registered = Counter.builder("webapp.agents.registered").register(registry);
                        client = new EtcdAgentRegistryClient();
                        for (int i = 0; i < 20; i++) {
                            if (client.register(new AgentInfo("agent-" + i, "agent-" + i, List.of("approve"), "127.0.0.1", 8080))) {
                                registered.increment();
                            }
                        }
                        System.out.println("[webapp] registered " + (long) registered.count() + " agents; webapp Micrometer "
                                + registry.getClass().getName() + " from " + registry.getClass().getClassLoader().getClass().getName());
                    }

                    @Override
                    public void contextDestroyed(ServletContextEvent event) {
                        client.close();
                        registry.close();
                        System.out.println("[webapp] stopped");
                    }
                }
                """);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> cp = new ArrayList<>(micrometer);
        cp.add(servletApi.toString());
        cp.add(classes.toString());
        int rc = javac.run(null, null, null, "-d", classes.toString(), "-cp", String.join(File.pathSeparator, cp), src.toString());
        assertEquals(0, rc, "listener compiled");
        Files.writeString(app.resolve("WEB-INF/web.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0" metadata-complete="true">
                  <listener><listener-class>dev.yawlmetrics.webapp.EngineListener</listener-class></listener>
                </web-app>
                """);
    }

    record Cmd(int rc, String output) {}

    private static Cmd catalina(Path base, Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(CATALINA_HOME.resolve("bin/catalina.sh").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(base.resolve("catalina-" + args[0] + ".txt").toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Cmd(-1, "catalina.sh " + args[0] + " did not return in 120 s");
        }
        return new Cmd(p.exitValue(), Files.readString(base.resolve("catalina-" + args[0] + ".txt")));
    }

    private static Scrape awaitMetric(int port, String name, double atLeast, Path log) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        Scrape last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = Scrape.parse(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body());
                if (last.has(name, "cluster", "prod", "pod", "tomcat-test") && last.value(name, "cluster", "prod", "pod", "tomcat-test") >= atLeast) {
                    return last;
                }
            } catch (java.io.IOException notYet) {
                // Tomcat and the agent are still starting
            }
            Thread.sleep(250);
        }
        throw new AssertionError(name + " (cluster=prod, pod=tomcat-test) never reached " + atLeast + "; last scrape: "
                + (last == null ? "none" : last.find(name)) + "\ncatalina.out:\n" + (Files.exists(log) ? Files.readString(log) : "(none)"));
    }
}
