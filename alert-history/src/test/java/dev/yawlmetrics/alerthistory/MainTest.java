package dev.yawlmetrics.alerthistory;

import dev.yawlmetrics.testsupport.FreePorts;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every command line has a defined answer: usage errors exit 2 with the reason, a checklist that cannot measure fails. */
class MainTest {
    record Out(int code, String out, String err) {}

    static Out run(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Out(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void badCommandLinesExit2WithTheReasonAndTheUsage() throws Exception {
        List<String[]> cases = List.of(
                new String[] {},
                new String[] {"frobnicate"},
                new String[] {"serve"},
                new String[] {"serve", "--jdbc", "jdbc:mysql://x/y"},
                new String[] {"serve", "--jdbc", "jdbc:postgresql://127.0.0.1/x", "--retention-days", "0"},
                new String[] {"serve", "--jdbc", "jdbc:postgresql://127.0.0.1/x", "--max-body-bytes", "lots"},
                new String[] {"serve", "--jdbc", "jdbc:postgresql://127.0.0.1/x", "--listen", "9097"},
                new String[] {"serve", "--jdbc", "jdbc:postgresql://127.0.0.1/x", "--colour", "blue"},
                new String[] {"serve", "positional"},
                new String[] {"checklist"},
                new String[] {"checklist", "--prometheus", "prometheus:9090"},
                new String[] {"checklist", "--prometheus", "http://p:9090", "--alertmanager", "am:9093"},
                new String[] {"checklist", "--prometheus", "http://p:9090", "--history", "postgres://x"},
                new String[] {"checklist", "--prometheus", "http://p:9090", "--day1=yes"},
                new String[] {"checklist", "--prometheus", "http://p:9090", "--monthly"});
        for (String[] args : cases) {
            Out o = run(args);
            assertEquals(2, o.code(), String.join(" ", args) + ": " + o.err());
            assertTrue(o.err().contains("usage:"), o.err());
            assertTrue(o.err().lines().count() > Main.USAGE.lines().count(), "a reason besides the usage: " + o.err());
        }
    }

    @Test
    void aChecklistThatCannotReachPrometheusFailsEveryItemItMeasures() throws Exception {
        Out o = run("checklist", "--prometheus", "http://127.0.0.1:" + FreePorts.next(), "--day1");
        assertEquals(1, o.code(), o.out());
        assertTrue(o.out().lines().anyMatch(l -> l.startsWith("FAIL  day1    Prometheus scrape targets all up: could not measure: Prometheus")), o.out());
        assertTrue(o.out().lines().anyMatch(l -> l.startsWith("n/a   day1    Alertmanager reachable with the expected receivers: not measurable here: no --alertmanager")), o.out());
        assertTrue(o.out().contains("0 passed, 6 failed, 5 not measurable here"), o.out());
    }

    @Test
    void theChecklistKnowsTheShippedAlertsAndReceivers() throws Exception {
        assertTrue(Checklist.shippedAlerts().containsAll(List.of("EtcdNoLeader", "HeartbeatSuccessRateLow", "YawlMetricsAgentDown")));
        assertEquals(java.util.Set.of("alert-history", "ops-email", "ops-team", "pagerduty-p1"),
                Checklist.shippedReceivers());
    }
}
