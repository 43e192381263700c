package dev.yawlmetrics.bench;

import dev.yawlmetrics.bench.harness.Variant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmptyAgentBaselineTest {
    @AfterEach
    void clear() {
        System.clearProperty("bench.plain.javaagent");
        System.clearProperty("bench.yawl.javaagent");
        System.clearProperty("bench.agent.jar");
        System.clearProperty("bench.plain.agent.jar");
        System.clearProperty("bench.plain.args");
        System.clearProperty("bench.yawl.args");
    }

    @Test
    void thePlainForkGetsTheEmptyAgentOnlyWhenAskedFor() {
        assertEquals(List.of(), Variant.PLAIN.jvmArgs(1234));
        System.setProperty("bench.plain.javaagent", "empty");
        List<String> args = Variant.PLAIN.jvmArgs(1234);
        assertEquals(1, args.size(), args.toString());
        assertTrue(args.get(0).startsWith("-javaagent:"), args.get(0));
    }

    @Test
    void anyOtherValueIsAnErrorNotASilentPlainFork() {
        System.setProperty("bench.plain.javaagent", "/some/agent.jar");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Variant.PLAIN.jvmArgs(1234));
        assertTrue(e.getMessage().contains("accepted values are 'empty' and 'ours'"), e.getMessage());
    }

    /** An A/B of two builds or configurations: the baseline fork runs our agent, its own jar and arguments. */
    @Test
    void thePlainForkRunsOurAgentAsABaselineWhenAskedFor() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("ab");
        java.nio.file.Path a = java.nio.file.Files.createFile(dir.resolve("a.jar"));
        java.nio.file.Path b = java.nio.file.Files.createFile(dir.resolve("b.jar"));
        System.setProperty("bench.agent.jar", a.toString());
        System.setProperty("bench.plain.javaagent", "ours");
        assertEquals(List.of("-javaagent:" + a + "=port=1234,host=127.0.0.1", "-Dbench.yawl.port=1234"), Variant.PLAIN.jvmArgs(1234));
        System.setProperty("bench.plain.agent.jar", b.toString());
        System.setProperty("bench.plain.args", "httpclient.enabled=false");
        assertEquals("-javaagent:" + b + "=port=1234,host=127.0.0.1,httpclient.enabled=false", Variant.PLAIN.jvmArgs(1234).get(0));
        assertTrue(Variant.YAWL.jvmArgs(99).get(0).startsWith("-javaagent:" + a + "=port=99,"), "the agent fork keeps its own jar");
        // the report names both sides, so an A/B's "plain" column is never read as a plain JVM
        System.setProperty("bench.yawl.args", "jvm.enabled=false");
        HeartbeatCapacity.Settings s = HeartbeatCapacity.Settings.from(new String[0], false);
        String md = HeartbeatCapacity.report(List.of(FleetScaleArithmeticTest.capacity(List.of(1000.0), List.of(990.0), s.offered())), s, false);
        assertTrue(md.contains("**A/B of our agent**") && md.contains(b + " with httpclient.enabled=false, against " + a + " with jvm.enabled=false"), md);
        System.setProperty("bench.plain.agent.jar", dir.resolve("missing.jar").toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Variant.PLAIN.jvmArgs(1234));
        assertTrue(e.getMessage().contains("agent jar not found"), e.getMessage());
    }

    /** The any-agent baseline: the agent fork runs the empty agent, with no endpoint and no port for it. */
    @Test
    void theAgentForkRunsTheEmptyAgentInsteadOfOursWhenAskedFor() {
        System.setProperty("bench.agent.jar", "/opt/yawl-metrics-agent.jar");
        assertTrue(Variant.YAWL.jvmArgs(1234).get(0).startsWith("-javaagent:/opt/yawl-metrics-agent.jar=port=1234"));
        System.setProperty("bench.yawl.javaagent", "empty");
        List<String> args = Variant.YAWL.jvmArgs(1234);
        assertEquals(1, args.size(), args.toString());
        assertTrue(args.get(0).startsWith("-javaagent:") && !args.get(0).contains("yawl-metrics-agent"), args.get(0));
        assertEquals(List.of(), Variant.PLAIN.jvmArgs(0), "the plain fork stays plain");
        System.setProperty("bench.yawl.javaagent", "ours");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Variant.YAWL.jvmArgs(1234));
        assertTrue(e.getMessage().contains("-Dbench.yawl.javaagent=ours"), e.getMessage());
    }

    /** The fleet step's 4b reads our agent's /metrics and attributes samples to its code: refused, not a hang. */
    @Test
    void theEmptyAgentIsRefusedOutsideTheCapacityComparison() throws Exception {
        assertFleetStepRefuses("bench.yawl.javaagent", "empty", "add --only capacity");
    }

    /** Likewise a baseline fork running our agent: 4b's plain figures would silently be an agent's. */
    @Test
    void ourAgentAsTheBaselineIsRefusedOutsideTheCapacityComparison() throws Exception {
        assertFleetStepRefuses("bench.plain.javaagent", "ours", "-Dbench.plain.javaagent=ours is for the capacity comparison only");
    }

    private static void assertFleetStepRefuses(String property, String value, String expectedMessage) throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("fleet");
        System.setProperty("bench.agent.jar", java.nio.file.Files.createFile(dir.resolve("agent.jar")).toString());
        System.setProperty(property, value);
        java.nio.file.Path out = dir.resolve("fleet.md");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FleetScale.main(new String[] {"--out", out.toString(), "--capacity-executors", ""}));
        assertTrue(e.getMessage().contains(expectedMessage), e.getMessage());
    }
}
