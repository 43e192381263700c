package dev.yawlmetrics.it.httpclient;

import dev.yawlmetrics.fixtures.hosts.HttpClientHost;
import dev.yawlmetrics.testsupport.AgentJvm;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * End-to-end: sequential loopback requests in two forked JVMs of the same run, agent attached in
 * both, java.net.http instrumented in one only; rounds alternate. Prints medians, asserts nothing
 * about speed. Run: {@code mvn -B -q verify -pl build-tools,agent,test-support,engine-fixtures,instrumentation-tests
 * -Dtest=HttpClientCostTest -Dsurefire.failIfNoSpecifiedTests=false -Dyawl.cost=true}.
 */
class HttpClientCostTest {
    @Test
    void instrumentedVersusPlainLoopbackRequests() throws Exception {
        assumeTrue(Boolean.getBoolean("yawl.cost"), "cost measurement runs only with -Dyawl.cost=true");
        try (AgentJvm on = AgentJvm.builder(HttpClientHost.class).start().awaitReady();
             AgentJvm off = AgentJvm.builder(HttpClientHost.class)
                     .sysProp("yawl.instrumentation.httpclient.enabled", "false").start().awaitReady()) {
            on.command("bench 3000", Duration.ofMinutes(5));
            off.command("bench 3000", Duration.ofMinutes(5));
            for (int round = 1; round <= 3; round++) {
                String instrumented = on.command("bench 5000", Duration.ofMinutes(5));
                String plain = off.command("bench 5000", Duration.ofMinutes(5));
                System.out.println("round " + round + ": instrumented " + instrumented + " | plain " + plain);
            }
        }
    }
}
