package dev.yawlmetrics.demo;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DemoOptionsTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        DemoOptions o = DemoOptions.parse(new String[0]);
        assertEquals(2_000, o.agents());
        assertEquals(120, o.durationSeconds());
        assertEquals(9464, o.port());
        assertEquals(DemoOptions.Scenario.STEADY, o.scenario());
        assertEquals("auto", o.etcd());
    }

    @Test
    void flagsAreParsed() {
        DemoOptions o = DemoOptions.parse(new String[] {"--agents=500", "--duration=2m", "--port=0", "--scenario=etcd-outage",
                "--etcd=http://127.0.0.1:2379/", "--prometheus=off", "--check"});
        assertEquals(500, o.agents());
        assertEquals(120, o.durationSeconds());
        assertEquals(0, o.port());
        assertEquals(DemoOptions.Scenario.ETCD_OUTAGE, o.scenario());
        assertEquals("http://127.0.0.1:2379", o.etcd());
        assertEquals(false, o.prometheus());
        assertEquals(true, o.check());
        assertEquals(false, o.keep());
        DemoOptions k = DemoOptions.parse(new String[] {"--keep", "--scenario=saturation", "--report=/tmp/r.html"});
        assertEquals(true, k.keep());
        assertEquals(DemoOptions.Scenario.SATURATION, k.scenario());
        assertEquals("/tmp/r.html", k.report());
        assertEquals(10_000, k.agents(), "saturation needs more renewals than one thread 2 ms from etcd can run");
        DemoOptions e = DemoOptions.parse(new String[] {"--expect-alerts=HeartbeatRenewalLate,HeartbeatExecutorFallingBehind", "--expect-quiet=X"});
        assertEquals(List.of("HeartbeatRenewalLate", "HeartbeatExecutorFallingBehind"), e.expectAlerts());
        assertEquals(List.of("X"), e.expectQuiet());
        assertThrows(DemoOptions.BadFlag.class, () -> DemoOptions.parse(new String[] {"--expect-alerts=a;b"}));
    }

    @Test
    void badFlagsGiveOneClearMessage() {
        assertEquals("unknown scenario 'flood' (choose steady, saturation, drought, etcd-outage or surge)",
                assertThrows(DemoOptions.BadFlag.class, () -> DemoOptions.parse(new String[] {"--scenario=flood"})).getMessage());
        assertEquals("--agents must be between 1 and 2000000, not -5",
                assertThrows(DemoOptions.BadFlag.class, () -> DemoOptions.parse(new String[] {"--agents=-5"})).getMessage());
        assertEquals("--agents must be a whole number, not 'many'",
                assertThrows(DemoOptions.BadFlag.class, () -> DemoOptions.parse(new String[] {"--agents=many"})).getMessage());
        assertEquals("unknown flag --colour",
                assertThrows(DemoOptions.BadFlag.class, () -> DemoOptions.parse(new String[] {"--colour=red"})).getMessage());
        assertEquals("--etcd must be auto, embedded or an http(s):// URL, not 'etcd:2379'",
                assertThrows(DemoOptions.BadFlag.class, () -> DemoOptions.parse(new String[] {"--etcd=etcd:2379"})).getMessage());
    }

    @Test
    void launcherExitsWithCode2AndNoStackTraceOnBadFlagsAndBusyPort() throws Exception {
        Result r = launch("--scenario=flood");
        assertEquals(2, r.code);
        assertTrue(r.stderr.startsWith("demo: unknown scenario 'flood'"), r.stderr);
        assertTrue(!r.stderr.contains("Exception") && !r.stderr.contains("\tat "), r.stderr);
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getByName("0.0.0.0"))) {
            Result p = launch("--port=" + busy.getLocalPort());
            assertEquals(2, p.code);
            assertTrue(p.stderr.startsWith("demo: port " + busy.getLocalPort() + " is already in use"), p.stderr);
        }
    }

    private record Result(int code, String stderr) {}

    private static Result launch(String... args) throws Exception {
        Path root = Path.of(System.getProperty("repo.root", ".."));
        String cp = root.resolve("demo/target/classes") + File.pathSeparator + root.resolve("test-support/target/classes");
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", cp, DemoLauncher.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        p.getOutputStream().close();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return new Result(p.exitValue(), err);
    }
}
