package dev.yawlmetrics.it.attach;

import dev.yawlmetrics.fixtures.hosts.AttachHost;
import dev.yawlmetrics.testsupport.AgentJvm;
import dev.yawlmetrics.testsupport.Scrape;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Lifecycle and discovery after a late attach, in the shape-preserving mode: GenericPartyAgent
 * keeps its fields and methods (a retransformation allows nothing else), per-agent state lives in
 * a weak side table. Agents running discovery loops before the attach and agents created after it.
 */
class AttachLifecycleDiscoveryTest {
    static final int BEFORE = 3;
    static final int AFTER = 2;

    @Test
    void agentsBeforeAndAfterALateAttach() throws Exception {
        try (AgentJvm jvm = AgentJvm.builder(AttachHost.class).withoutAgent().start()) {
            jvm.awaitStdout(l -> l.equals("HOST READY"), Duration.ofSeconds(60));
            String pid = Long.toString(jvm.process().pid());
            jvm.command("agents " + BEFORE + " 100");
            assertEquals("{DISCOVERING=" + BEFORE + "}", jvm.command("start 0"));
            Map<String, Long> l0 = AttachDetachTest.ledger(jvm);

            Cli attach = Cli.run("attach", pid, "port=0,host=127.0.0.1");
            assertEquals(0, attach.exit(), attach.toString());
            Map<String, Long> l1 = AttachDetachTest.ledger(jvm);
            assertTrue(attach.out().contains("lifecycle=applied") && attach.out().contains("discovery=applied"), attach.toString());
            int port = attach.port();

            jvm.command("agents " + AFTER + " 100");
            assertEquals("{DISCOVERING=" + (BEFORE + AFTER) + "}", jvm.command("start " + BEFORE));
            Thread.sleep(1_000);
            Scrape s = AttachDetachTest.scrape(port);
            String why = s.text() + "\n" + jvm.describe();
            assertEquals(AFTER, s.value("yawl_agent_creations_total"), "only constructions after the attach: " + why);
            assertEquals(AFTER, s.value("yawl_agent_state_transitions_total", "from", "CREATED", "to", "INITIALIZING"), why);
            assertEquals(AFTER, s.value("yawl_agent_state_transitions_total", "from", "INITIALIZING", "to", "DISCOVERING"), why);
            // agents met mid-life join the live gauge at their first transition; the new ones are live from their construction
            assertEquals(AFTER, s.value("yawl_agent_live", "state", "DISCOVERING"), why);
            // every running loop, old or new, is seen at its next cycle
            assertEquals(BEFORE + AFTER, s.sum("yawl_agent_backoff_level_agents"), why);
            assertTrue(s.value("yawl_agent_work_item_checkout_count_total", "outcome", "success") > 0, why);
            assertTrue(s.value("yawl_agent_work_item_checkin_count_total", "outcome", "success") > 0, why);

            assertEquals("{STOPPED=" + (BEFORE + AFTER) + "}", jvm.command("stop 0"));
            Map<String, Long> l2 = AttachDetachTest.ledger(jvm);
            Scrape s2 = AttachDetachTest.scrape(port);
            why = s2.text() + "\n" + jvm.describe();
            assertEquals(BEFORE + AFTER, s2.value("yawl_agent_stopped_total"), why);
            assertEquals(BEFORE + AFTER, s2.value("yawl_agent_state_transitions_total", "from", "DISCOVERING", "to", "STOPPING"), why);
            assertEquals(0.0, s2.sum("yawl_agent_live"), "adopted at their first transition, so every stopped agent left: " + why);
            assertEquals(0.0, s2.sum("yawl_agent_backoff_level_agents"), "stopped loops leave the aggregates: " + why);
            // cycles: those that started after the attach returned, minus none; bounded by the engine's own count
            double cycles = s2.sum("yawl_agent_discovery_attempts_total");
            assertTrue(cycles >= l2.get("discovery") - l1.get("discovery") - (BEFORE + AFTER)
                    && cycles <= l2.get("discovery") - l0.get("discovery"), cycles + " cycles vs ledger " + l0 + l1 + l2 + "\n" + why);
            double checkouts = s2.sum("yawl_agent_work_item_checkout_count_total");
            assertTrue(checkouts >= l2.get("withwork") - l1.get("withwork") - (BEFORE + AFTER)
                    && checkouts <= l2.get("withwork") - l0.get("withwork"), checkouts + " check-outs vs " + l0 + l1 + l2);

            Cli detach = Cli.run("detach", pid);
            assertEquals(0, detach.exit(), detach.toString());
            Matcher m = Pattern.compile("restored (\\d+) class\\(es\\) .*\\((\\d+) checked free").matcher(detach.out());
            assertTrue(m.find() && m.group(1).equals(m.group(2)) && Integer.parseInt(m.group(1)) >= 1, detach.toString());
            AttachDetachTest.assertClosed(port);
            jvm.command("agents 1 100");
            assertEquals("{DISCOVERING=1, STOPPED=5}".replace(" ", ""), jvm.command("start " + (BEFORE + AFTER)));

            Cli again = Cli.run("attach", pid, "port=0,host=127.0.0.1");
            assertEquals(0, again.exit(), again.toString());
            jvm.command("agents 1 100");
            assertEquals("{DISCOVERING=2,STOPPED=5}", jvm.command("start " + (BEFORE + AFTER + 1)));
            Thread.sleep(500);
            Scrape s3 = AttachDetachTest.scrape(again.port());
            assertEquals(1.0, s3.value("yawl_agent_creations_total"), "fresh meters: " + s3.text());
            assertEquals(2.0, s3.sum("yawl_agent_backoff_level_agents"), s3.text());
            assertEquals("{STOPPED=7}", jvm.command("stop 0"));
            assertEquals(0, Cli.run("detach", pid).exit());
            assertTrue(jvm.agentLog().stream().noneMatch(l -> l.contains("WARN") || l.contains("ERROR")), jvm.describe());
            assertTrue(jvm.exitAndWait(Duration.ofSeconds(20)), jvm.describe());
        }
    }
}
