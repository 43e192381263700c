package dev.yawlmetrics.bench;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hand-off step's verdict lines and its option checks; the forks themselves are not started here. */
class VirtualThreadHandoffTest {

    @Test
    void aDifferenceEveryRoundAgreesOnIsResolvedAndAMixedOneIsNot() {
        String resolved = VirtualThreadHandoff.comparison("empty / none", List.of(146.0, 145.0, 145.0, 148.0, 146.0),
                List.of(224.0, 222.0, 228.0, 224.0, 222.0));
        assertTrue(resolved.contains("difference resolved (higher in 5 of 5 rounds)"), resolved);
        assertTrue(resolved.contains("+77 ns per hand-off"), resolved);
        assertTrue(resolved.contains("1.53 [1.51–1.57]"), resolved);

        String noise = VirtualThreadHandoff.comparison("ours / empty", List.of(224.0, 222.0, 228.0, 224.0, 222.0),
                List.of(225.0, 221.0, 233.0, 223.0, 229.0));
        assertTrue(noise.contains("within noise (higher in 3 of 5 rounds)"), noise);
    }

    @Test
    void theReportNamesTheSettingsAndAllThreeComparisons() {
        String r = VirtualThreadHandoff.report(List.of(List.of(146.0, 145.0), List.of(224.0, 222.0), List.of(225.0, 221.0)),
                2, 1_000_000, 1, Path.of("/x/yawl-metrics-agent.jar"), "| table |\n");
        for (String expected : List.of("1,000,000 per fork, 1 carrier(s)", "agent yawl-metrics-agent.jar",
                "- empty agent / no agent (what any -javaagent costs)",
                "- ours / empty agent (what our agent adds to a hand-off)", "- ours / no agent")) {
            assertTrue(r.contains(expected), expected + " in:\n" + r);
        }
        assertTrue(!r.contains("bench.agent.jvmargs"), r);
        System.setProperty("bench.agent.jvmargs", "-XX:+UnlockExperimentalVMOptions -XX:-DoJVMTIVirtualThreadTransitions");
        try {
            String flagged = VirtualThreadHandoff.report(List.of(List.of(146.0), List.of(150.0), List.of(151.0)),
                    1, 1_000_000, 1, Path.of("/x/yawl-metrics-agent.jar"), "| table |\n");
            assertTrue(flagged.contains("JVM arguments of the forks with an agent only (`-Dbench.agent.jvmargs`):"
                    + " `-XX:+UnlockExperimentalVMOptions -XX:-DoJVMTIVirtualThreadTransitions`"), flagged);
        } finally {
            System.clearProperty("bench.agent.jvmargs");
        }
    }

    /** The flags of -Dbench.agent.jvmargs reach the forks with an agent, never the one without. */
    @Test
    void agentJvmArgumentsReachTheForksWithAnAgentOnly() {
        Path agent = Path.of("/x/yawl-metrics-agent.jar");
        String flag = "-XX:-DoJVMTIVirtualThreadTransitions";
        System.setProperty("bench.agent.jvmargs", "-XX:+UnlockExperimentalVMOptions " + flag);
        try {
            assertTrue(!VirtualThreadHandoff.command(VirtualThreadHandoff.Fork.PLAIN, agent, 1000, 1).contains(flag));
            for (VirtualThreadHandoff.Fork f : List.of(VirtualThreadHandoff.Fork.EMPTY, VirtualThreadHandoff.Fork.OURS)) {
                List<String> cmd = VirtualThreadHandoff.command(f, agent, 1000, 1);
                assertTrue(cmd.contains(flag) && cmd.stream().anyMatch(a -> a.startsWith("-javaagent:")), f + ": " + cmd);
            }
        } finally {
            System.clearProperty("bench.agent.jvmargs");
        }
    }

    @Test
    void nonsenseOptionsAreRefusedBeforeAnyForkStarts() {
        // The message, not only the type: without -Dbench.agent.jar the missing jar is refused with
        // the same exception type, so a type check alone would pass with the option checks deleted.
        for (String[] args : List.of(new String[]{"--rounds", "0"}, new String[]{"--handoffs", "10"}, new String[]{"--carriers", "0"})) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VirtualThreadHandoff.main(args));
            assertTrue(e.getMessage().startsWith("--rounds >= 1, --handoffs >= 1000, --carriers >= 1"), e.getMessage());
        }
    }
}
