package dev.yawlmetrics.bench;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the capacity step says when a fork it stopped is gone. */
class ForkExitTest {

    /** A fork that waits to be signalled. */
    public static final class Sleeper {
        public static void main(String[] args) throws InterruptedException {
            System.out.println("UP");
            System.out.flush();
            Thread.sleep(60_000);
        }
    }

    @Test
    void aStoppedJvmThatGetsSighupExitsWith129AndTheReportSaysWhy() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        // SIGHUP at its default: a JVM started under nohup (as this test may be) inherits it ignored
        // and then never installs its own handler, which is why setsid nohup is the advice.
        Process p = new ProcessBuilder(List.of("env", "--default-signal=HUP", java, "-cp", System.getProperty("java.class.path"),
                Sleeper.class.getName())).redirectErrorStream(true).start();
        try {
            // Up once it says so; the JVM may print other lines first (e.g. "Picked up JAVA_TOOL_OPTIONS").
            java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()));
            String line = out.readLine();
            for (int n = 0; line != null && !line.equals("UP") && n < 50; n++) {
                line = out.readLine();
            }
            assertEquals("UP", line, "the sleeper JVM never came up");
            // What the kernel does to a stopped process in an orphaned process group: SIGHUP, then SIGCONT.
            for (String signal : List.of("STOP", "HUP", "CONT")) {
                assertEquals(0, new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor());
            }
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the JVM survived SIGHUP");
            String note = HeartbeatCapacity.PausedFork.exitNote(p.exitValue());
            assertEquals(129, p.exitValue());
            assertTrue(note.contains("SIGHUP") && note.contains("setsid nohup"), note);
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void anyOtherExitStatusIsReportedAsItIs() {
        String note = HeartbeatCapacity.PausedFork.exitNote(1);
        assertEquals(" with status 1", note);
        assertFalse(note.contains("SIGHUP"));
    }
}
