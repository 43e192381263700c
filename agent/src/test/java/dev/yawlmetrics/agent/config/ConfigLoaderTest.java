package dev.yawlmetrics.agent.config;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigLoaderTest {

    private static MetricsAgentConfig load(String args, Map<String, String> props, Map<String, String> env) {
        return ConfigLoader.load(args, props, env);
    }

    @Test
    void defaultsWhenNothingIsSet() {
        MetricsAgentConfig c = load(null, Map.of(), Map.of());
        assertTrue(c.enabled());
        assertEquals(9464, c.port());
        assertEquals("0.0.0.0", c.host());
        assertEquals("/metrics", c.path());
        assertEquals(Map.of(), c.commonTags());
        assertEquals(2, c.httpThreads());
        for (InstrumentationName n : InstrumentationName.values()) {
            assertTrue(c.isEnabled(n), n.id());
        }
        assertEquals(List.of(), c.problems());
    }

    @Test
    void agentArgumentBeatsSystemPropertyBeatsEnvironment() {
        Map<String, String> env = Map.of("YAWL_METRICS_PORT", "1111", "YAWL_METRICS_PATH", "/from-env",
                "YAWL_METRICS_HOST", "10.0.0.1");
        Map<String, String> props = Map.of("yawl.metrics.port", "2222", "yawl.metrics.path", "/from-prop");
        MetricsAgentConfig c = load("port=3333", props, env);
        assertEquals(3333, c.port(), "agent argument wins");
        assertEquals("/from-prop", c.path(), "system property beats environment");
        assertEquals("10.0.0.1", c.host(), "environment beats default");
        assertEquals(List.of(), c.problems());
    }

    @Test
    void instrumentationSwitchesFromEverySource() {
        MetricsAgentConfig c = load("heartbeat.enabled=false,instrumentation.etcd.enabled=false",
                Map.of("yawl.instrumentation.jvm.enabled", "false"),
                Map.of("YAWL_INSTRUMENTATION_HTTPCLIENT_ENABLED", "FALSE"));
        assertFalse(c.isEnabled(InstrumentationName.HEARTBEAT));
        assertFalse(c.isEnabled(InstrumentationName.ETCD));
        assertFalse(c.isEnabled(InstrumentationName.JVM));
        assertFalse(c.isEnabled(InstrumentationName.HTTPCLIENT));
        assertTrue(c.isEnabled(InstrumentationName.MARKETPLACE));
    }

    @Test
    void globalSwitchTurnsEverythingOff() {
        MetricsAgentConfig c = load("enabled=false", Map.of(), Map.of());
        assertFalse(c.enabled());
        for (InstrumentationName n : InstrumentationName.values()) {
            assertFalse(c.isEnabled(n), n.id());
        }
    }

    @Test
    void nonNumericPortFallsBackToDefaultWithOneClearSentence() {
        MetricsAgentConfig c = load("port=abc", Map.of(), Map.of());
        assertEquals(9464, c.port());
        assertEquals(List.of("agent argument port='abc' is not a number; using 9464"), c.problems());
    }

    @Test
    void portOutOfRangeFallsBackToDefault() {
        MetricsAgentConfig c = load(null, Map.of("yawl.metrics.port", "70000"), Map.of());
        assertEquals(9464, c.port());
        assertEquals(List.of("system property yawl.metrics.port='70000' is out of range 0..65535; using 9464"), c.problems());
        assertEquals(9464, load(null, Map.of(), Map.of("YAWL_METRICS_PORT", "-1")).port());
    }

    @Test
    void portZeroMeansEphemeralAndIsAccepted() {
        MetricsAgentConfig c = load("port=0", Map.of(), Map.of());
        assertEquals(0, c.port());
        assertEquals(List.of(), c.problems());
    }

    @Test
    void unknownInstrumentationIsNamedWithTheKnownOnes() {
        MetricsAgentConfig c = load("heartbeats.enabled=true", Map.of("yawl.instrumentation.kafka.enabled", "true"),
                Map.of("YAWL_INSTRUMENTATION_GRPC_ENABLED", "true"));
        assertEquals(3, c.problems().size(), c.problems().toString());
        assertTrue(c.problems().contains("environment variable YAWL_INSTRUMENTATION_GRPC_ENABLED names unknown instrumentation 'grpc' (known: "
                + "heartbeat, etcd, marketplace, lifecycle, discovery, httpclient, jvm); ignored"), c.problems().toString());
        assertTrue(c.problems().stream().anyMatch(p -> p.startsWith("system property yawl.instrumentation.kafka.enabled names unknown instrumentation 'kafka'")));
        assertTrue(c.problems().stream().anyMatch(p -> p.startsWith("agent argument heartbeats.enabled names unknown instrumentation 'heartbeats'")));
    }

    @Test
    void malformedAgentArgumentsAreReportedAndTheRestStillApplies() {
        MetricsAgentConfig c = load("port=1234,,garbage,=5,path=/m", Map.of(), Map.of());
        assertEquals(1234, c.port());
        assertEquals("/m", c.path());
        assertEquals(List.of(
                "agent argument 'garbage' is malformed (expected key=value, e.g. port=9464); ignored",
                "agent argument '=5' is malformed (expected key=value, e.g. port=9464); ignored"), c.problems());
    }

    @Test
    void unknownSettingIsReported() {
        MetricsAgentConfig c = load("colour=blue", Map.of("yawl.metrics.prot", "1"), Map.of("YAWL_METRICS_PROT", "1"));
        assertEquals(List.of("environment variable YAWL_METRICS_PROT is not a setting of this agent; ignored",
                "system property yawl.metrics.prot is not a setting of this agent; ignored",
                "agent argument colour is not a setting of this agent; ignored"), c.problems());
    }

    @Test
    void badBooleanKeepsTheDefault() {
        MetricsAgentConfig c = load("marketplace.enabled=nope", Map.of(), Map.of());
        assertTrue(c.isEnabled(InstrumentationName.MARKETPLACE));
        assertEquals(List.of("agent argument marketplace.enabled='nope' is not true or false; using true"), c.problems());
    }

    @Test
    void pathMustBeUsable() {
        assertEquals("/metrics", load("path=metrics", Map.of(), Map.of()).path());
        assertEquals("/metrics", load("path=/", Map.of(), Map.of()).path());
        assertEquals("/prom", load("path=/prom/", Map.of(), Map.of()).path());
        assertEquals(1, load("path=/a b", Map.of(), Map.of()).problems().size());
    }

    @Test
    void commonTagsParsedValidatedAndReservedNamesRefused() {
        MetricsAgentConfig c = load("tags=cluster=prod;pod=engine-0;le=1;9bad=x;novalue", Map.of(), Map.of());
        assertEquals(Map.of("cluster", "prod", "pod", "engine-0"), c.commonTags());
        assertEquals(3, c.problems().size(), c.problems().toString());
        assertTrue(c.problems().get(0).contains("tag name 'le' is reserved"));
        assertTrue(c.problems().get(1).contains("tag name '9bad' is not a valid Prometheus label name"));
        assertTrue(c.problems().get(2).contains("tag 'novalue' is not key=value"));
        // Outside the agent argument, commas separate tags too.
        assertEquals(Map.of("cluster", "a", "pod", "b"),
                load(null, Map.of("yawl.metrics.tags", "cluster=a,pod=b"), Map.of()).commonTags());
    }

    @Test
    void httpClientSettings() {
        MetricsAgentConfig c = load(null, Map.of("yawl.instrumentation.httpclient.capacity", "50",
                "yawl.instrumentation.httpclient.hosts", "etcd.local; Engine.Local"), Map.of());
        assertEquals(50, c.httpClientCapacity());
        assertEquals(List.of("etcd.local", "engine.local"), c.httpClientHosts());
        assertEquals(256, load("httpclient.capacity=0", Map.of(), Map.of()).httpClientCapacity());
        assertEquals(16, load("http.threads=16", Map.of(), Map.of()).httpThreads());
        assertEquals(2, load("http.threads=17", Map.of(), Map.of()).httpThreads());
    }

    /** The debug switches are settings like any other: every source, and a bad value is reported. */
    @Test
    void debugSwitchesGoThroughTheSamePath() {
        assertFalse(load(null, Map.of(), Map.of()).debug());
        assertTrue(load("debug=true", Map.of(), Map.of()).debug(), "agent argument");
        assertTrue(load(null, Map.of(), Map.of("YAWL_METRICS_DEBUG", "true")).debug(), "environment");
        assertTrue(load(null, Map.of("yawl.metrics.debug", "true"), Map.of()).debug(), "system property");
        assertTrue(load(null, Map.of(), Map.of("YAWL_METRICS_DEBUG_FAIL_RECORDING", "true")).failRecording());
        assertTrue(load("debug.fail-recording=true", Map.of(), Map.of()).failRecording());
        MetricsAgentConfig bad = load("debug=yes", Map.of(), Map.of());
        assertFalse(bad.debug());
        assertEquals(List.of("agent argument debug='yes' is not true or false; using false"), bad.problems());
    }
}
