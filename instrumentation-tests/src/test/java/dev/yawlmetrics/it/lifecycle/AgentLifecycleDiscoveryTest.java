package dev.yawlmetrics.it.lifecycle;

import dev.yawlmetrics.fixtures.hosts.LifecycleHost;
import dev.yawlmetrics.testsupport.AgentJvm;
import dev.yawlmetrics.testsupport.Scrape;
import org.junit.jupiter.api.Test;

import static dev.yawlmetrics.it.lifecycle.Await.scrapeUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ten real agents (HttpServer on a free port, discovery loop on a virtual thread, 5 ms base
 * interval) through start, work, drought to the cap, failing cycles, recovery, stop and restart;
 * every figure read back from the forked JVM's /metrics.
 */
class AgentLifecycleDiscoveryTest {
    private static final int N = 10;

    @Test
    void agentsThroughStartDroughtRecoveryStopAndRestart() throws Exception {
        try (AgentJvm jvm = AgentJvm.builder(LifecycleHost.class).start().awaitReady()) {
            assertEquals(Integer.toString(N), jvm.command("create " + N + " 5 ports"));
            Scrape s = jvm.scrape();
            assertEquals(N, s.value("yawl_agent_creations_total"));
            assertEquals(N, s.value("yawl_agent_live", "state", "CREATED"));
            assertEquals(0, s.value("yawl_agent_live", "state", "DISCOVERING"));
            assertTrue(s.find("yawl_agent_live", "state", "STOPPED").isEmpty(), "stopped agents are not live");
            assertEquals(8, s.find("yawl_agent_live").size(), "one live series per non-STOPPED state");

            // start with work everywhere
            assertEquals("{DISCOVERING=" + N + "}", jvm.command("start"));
            s = scrapeUntil(jvm, "successful cycles", x -> x.value("yawl_agent_discovery_attempts_total", "outcome", "success") >= 5 * N);
            assertEquals(N, s.value("yawl_agent_state_transitions_total", "from", "CREATED", "to", "INITIALIZING"));
            assertEquals(N, s.value("yawl_agent_state_transitions_total", "from", "INITIALIZING", "to", "DISCOVERING"));
            assertEquals(N, s.value("yawl_agent_live", "state", "DISCOVERING"));
            assertEquals(0, s.value("yawl_agent_live", "state", "CREATED"));
            assertEquals(N, s.value("yawl_agent_state_duration_ms_count", "state", "CREATED"));
            assertEquals(N, s.value("yawl_agent_state_duration_ms_count", "state", "INITIALIZING"));
            assertTrue(s.value("yawl_agent_work_item_checkout_count_total", "outcome", "success") > 0, s.text());
            assertTrue(s.value("yawl_agent_work_item_checkin_count_total", "outcome", "success") > 0, s.text());
            assertEquals(0, s.value("yawl_agent_backoff_level"));
            assertEquals(0, s.value("yawl_discovery_polling_load_reduction_percent"));

            // drought until every agent sits at the cap (5 ms x 2^6 = 320 ms)
            jvm.command("work 0");
            s = scrapeUntil(jvm, "all agents at level 8, the aggregates caught up",
                    x -> x.value("yawl_agent_backoff_level_agents", "level", "8") == N
                            && x.value("yawl_agent_backoff_level") == 8 && x.value("yawl_discovery_backoff_cycles") == 6
                            && x.value("yawl_discovery_agents_in_backoff") == N
                            && x.value("yawl_discovery_empty_result_consecutive") >= 8);
            assertEquals(8, s.value("yawl_agent_backoff_level"));
            assertEquals(6, s.value("yawl_discovery_backoff_cycles"));
            assertEquals(N, s.value("yawl_discovery_agents_in_backoff"));
            assertTrue(s.value("yawl_discovery_empty_result_consecutive") >= 8);
            // every agent polls every 320 ms instead of every 5 ms: 1 - 5/320
            assertEquals(98.4375, s.value("yawl_discovery_polling_load_reduction_percent"), 1e-9);
            assertTrue(s.value("yawl_discovery_backoff_sleep_time_ms_max") <= 352.0 + 1e-9, s.text());
            assertTrue(s.value("yawl_discovery_backoff_sleep_time_ms_bucket", "le", "500.0")
                    > s.value("yawl_discovery_backoff_sleep_time_ms_bucket", "le", "250.0"));

            // measured polling over a window at the cap, against polling at the base interval
            double attempts0 = s.sum("yawl_agent_discovery_attempts_total");
            long t0 = System.nanoTime();
            Thread.sleep(2_000);
            Scrape w = jvm.scrape();
            double seconds = (System.nanoTime() - t0) / 1e9;
            double measured = (w.sum("yawl_agent_discovery_attempts_total") - attempts0) / seconds;
            double atBase = N * 1000.0 / 5;
            System.out.printf("drought at cap: measured %.1f polls/s vs %.0f polls/s at base -> %.2f %% reduction; gauge %.4f %%%n",
                    measured, atBase, 100 * (1 - measured / atBase), w.value("yawl_discovery_polling_load_reduction_percent"));
            assertTrue(measured < atBase * 0.05, "measured " + measured);

            // failing cycles are counted by outcome
            jvm.command("timeouts 3");
            jvm.command("errors 2");
            scrapeUntil(jvm, "failed cycles", x -> x.value("yawl_agent_discovery_attempts_total", "outcome", "timeout") == 3
                    && x.value("yawl_agent_discovery_attempts_total", "outcome", "error") == 2);

            // recovery
            jvm.command("work 100");
            s = scrapeUntil(jvm, "recovery, the aggregates caught up",
                    x -> x.value("yawl_agent_backoff_level_agents", "level", "0") == N
                            && x.value("yawl_agent_backoff_level") == 0 && x.value("yawl_discovery_agents_in_backoff") == 0
                            && x.value("yawl_discovery_backoff_cycles") == 0);
            assertEquals(0, s.value("yawl_agent_backoff_level"));
            assertEquals(0, s.value("yawl_discovery_agents_in_backoff"));
            assertEquals(0, s.value("yawl_discovery_backoff_cycles"));
            assertEquals(0, s.value("yawl_discovery_polling_load_reduction_percent"), 1e-9);

            // check-out / check-in answers, by the engine's own rules
            jvm.command("checkout <failure>locked</failure>");
            scrapeUntil(jvm, "checkout failures", x -> x.value("yawl_agent_work_item_checkout_count_total", "outcome", "failure") >= 1);
            double answeredFailures = jvm.scrape().value("yawl_agent_work_item_checkout_count_total", "outcome", "failure");
            jvm.command("checkout THROW"); // the client throws: the engine hands the item off, the call still counts
            scrapeUntil(jvm, "checkout exceptions", x -> x.value("yawl_agent_work_item_checkout_count_total", "outcome", "failure") > answeredFailures + 2);
            jvm.command("checkout <success/>");
            jvm.command("checkin <failure>bad_data</failure>");
            scrapeUntil(jvm, "checkin errors", x -> x.value("yawl_agent_work_item_checkin_count_total", "outcome", "error") >= 1);
            double answeredErrors = jvm.scrape().value("yawl_agent_work_item_checkin_count_total", "outcome", "error");
            jvm.command("checkin THROW");
            scrapeUntil(jvm, "checkin exceptions", x -> x.value("yawl_agent_work_item_checkin_count_total", "outcome", "error") > answeredErrors + 2);
            jvm.command("checkin <success/>");

            // stop
            long loggedBefore = Long.parseLong(jvm.command("logged"));
            assertEquals("{STOPPED=" + N + "}", jvm.command("stop"));
            // stop() returns on the caller's thread; each discovery loop leaves on its own thread.
            s = scrapeUntil(jvm, "stopped, and every loop left the aggregates",
                    x -> x.value("yawl_agent_stopped_total") == N && x.sum("yawl_agent_backoff_level_agents") == 0);
            assertEquals(N, s.value("yawl_agent_stopped_total"));
            assertEquals(N, s.value("yawl_agent_state_transitions_total", "from", "DISCOVERING", "to", "STOPPING"));
            assertEquals(N, s.value("yawl_agent_state_transitions_total", "from", "STOPPING", "to", "STOPPED"));
            assertEquals(0, s.sum("yawl_agent_live"));
            assertEquals(N, s.value("yawl_agent_state_duration_ms_count", "state", "DISCOVERING"));
            assertTrue(s.value("yawl_agent_state_duration_ms_sum", "state", "DISCOVERING") > N * 1000.0, "each agent discovered for > 1 s");
            assertEquals(0, s.sum("yawl_agent_backoff_level_agents"), "stopped loops leave the aggregates");
            assertEquals(0, s.value("yawl_discovery_polling_load_reduction_percent"));
            assertEquals(N, Long.parseLong(jvm.command("logged")) - loggedBefore, "the engine's own log line per stop is unchanged");

            // restart
            assertEquals("{DISCOVERING=" + N + "}", jvm.command("start"));
            s = scrapeUntil(jvm, "restarted loops", x -> x.value("yawl_agent_backoff_level_agents", "level", "0") == N);
            assertEquals(N, s.value("yawl_agent_reconnect_count_total", "reason", "discovery_restart"));
            assertEquals(N, s.value("yawl_agent_state_transitions_total", "from", "STOPPED", "to", "INITIALIZING"));
            assertEquals(N, s.value("yawl_agent_live", "state", "DISCOVERING"));
            jvm.command("stop");
            s = scrapeUntil(jvm, "stopped twice", x -> x.value("yawl_agent_stopped_total") == 2 * N);
            assertEquals(2 * N, s.value("yawl_agent_stopped_total"));
            assertEquals(N, s.value("yawl_agent_creations_total"));
            assertEquals(N, s.value("yawl_agent_state_duration_ms_count", "state", "STOPPED"));
            assertEquals(1.0, s.value("yawl_metrics_agent_instrumentation_applied", "instrumentation", "lifecycle"));
            assertEquals(1.0, s.value("yawl_metrics_agent_instrumentation_applied", "instrumentation", "discovery"));
            assertEquals(0, s.sum("yawl_metrics_agent_recording_errors_total"), s.text());

            // the engine's shutdown hook stops agents that are already stopped: not a restart
            assertEquals("{STOPPED=" + N + "}", jvm.command("stop"));
            s = scrapeUntil(jvm, "stopped agents stopped again",
                    x -> x.value("yawl_agent_state_transitions_total", "from", "STOPPED", "to", "STOPPING") == N);
            assertEquals(N, s.value("yawl_agent_reconnect_count_total", "reason", "discovery_restart"), "a double stop is not a restart");
            assertEquals(2 * N, s.value("yawl_agent_stopped_total"), "nor a stop: the agents were stopped already");
        }
    }

    @Test
    void failedConstructionIsCountedAndTheExceptionReachesTheCallerUnchanged() throws Exception {
        try (AgentJvm jvm = AgentJvm.builder(LifecycleHost.class).start().awaitReady()) {
            assertEquals("java.net.ConnectException: Connection refused: http://127.0.0.1:8080/yawl/ib", jvm.command("create-fail refused"));
            assertEquals("java.io.IOException: Failed to connect to YAWL engine: <failure>bad_password</failure>",
                    jvm.command("create-fail bad_password"));
            jvm.command("create 2 5");
            Scrape s = jvm.scrape();
            assertEquals(2, s.value("yawl_agent_create_failures_total"));
            assertEquals(2, s.value("yawl_agent_creations_total"));
            assertEquals(2, s.value("yawl_agent_live", "state", "CREATED"));
        }
    }

    @Test
    void agentsLoadedByAChildFirstLoaderAreInstrumented() throws Exception {
        try (AgentJvm jvm = AgentJvm.builder(LifecycleHost.class).start().awaitReady()) {
            assertEquals("ChildFirstClassLoader true", jvm.command("child-create 3 5"));
            jvm.command("child-call start");
            scrapeUntil(jvm, "child agents discovering", x -> x.value("yawl_agent_discovery_attempts_total", "outcome", "success") >= 3
                    && x.value("yawl_agent_backoff_level_agents", "level", "0") == 3);
            jvm.command("child-call stop");
            Scrape s = jvm.scrape();
            assertEquals(3, s.value("yawl_agent_creations_total"));
            assertEquals(3, s.value("yawl_agent_stopped_total"));
            assertEquals(3, s.value("yawl_agent_state_transitions_total", "from", "STOPPING", "to", "STOPPED"));
            assertTrue(jvm.agentLogShows(l -> l.contains("lifecycle: instrumented " + "org.yawlfoundation.yawl.integration.autonomous.GenericPartyAgent (loader dev.yawlmetrics.fixtures.hosts.ChildFirstClassLoader)")),
                    jvm.describe());
        }
    }

    @Test
    void discoveryAloneWorksWithLifecycleSwitchedOff() throws Exception {
        try (AgentJvm jvm = AgentJvm.builder(LifecycleHost.class)
                .sysProp("yawl.instrumentation.lifecycle.enabled", "false").start().awaitReady()) {
            jvm.command("create 2 5 ports");
            jvm.command("work 0");
            jvm.command("start");
            Scrape s = scrapeUntil(jvm, "drought", x -> x.value("yawl_agent_backoff_level") >= 2);
            assertTrue(s.find("yawl_agent_creations_total").isEmpty(), s.text());
            assertEquals(0.0, s.value("yawl_metrics_agent_instrumentation_applied", "instrumentation", "lifecycle"));
            assertEquals(1.0, s.value("yawl_metrics_agent_instrumentation_applied", "instrumentation", "discovery"));
            jvm.command("stop");
            assertEquals(0, jvm.scrape().sum("yawl_agent_backoff_level_agents"));
        }
    }

    @Test
    void bothSwitchedOffLeaveTheAgentClassAlone() throws Exception {
        try (AgentJvm jvm = AgentJvm.builder(LifecycleHost.class)
                .sysProp("yawl.instrumentation.lifecycle.enabled", "false")
                .sysProp("yawl.instrumentation.discovery.enabled", "false").start().awaitReady()) {
            jvm.command("create 2 5 ports");
            assertEquals("{DISCOVERING=2}", jvm.command("start"));
            assertEquals("{STOPPED=2}", jvm.command("stop"));
            Scrape s = jvm.scrape();
            assertTrue(s.find("yawl_agent_discovery_attempts_total").isEmpty(), s.text());
            assertTrue(jvm.agentLog().stream().noneMatch(l -> l.contains("GenericPartyAgent")), jvm.describe());
        }
    }

    @Test
    void aLoaderThatCannotSeeTheAgentGetsTheClassUnchanged() throws Exception {
        try (AgentJvm jvm = AgentJvm.builder(LifecycleHost.class).start().awaitReady()) {
            assertEquals("DISCOVERING STOPPED", jvm.command("isolated-run"));
            Scrape s = jvm.scrape();
            assertTrue(s.value("yawl_metrics_agent_instrumentation_skipped_total", "instrumentation", "lifecycle") >= 1, s.text());
            assertEquals(0, s.sum("yawl_metrics_agent_transformation_errors_total"), "an invisible agent is a skip, not an error");
            assertEquals(0, s.sum("yawl_agent_creations_total"));
            assertTrue(jvm.agentLogShows(l -> l.contains("does not see the agent's")), jvm.describe());
        }
    }
}
