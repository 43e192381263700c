package dev.yawlmetrics.agent.metrics;

import dev.yawlmetrics.agent.core.MetricsAgentLog;
import io.micrometer.common.util.internal.logging.InternalLogger;
import io.micrometer.common.util.internal.logging.InternalLoggerFactory;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

class MicrometerLogBridgeTest {

    @Test
    void theAgentsRegistryRoutesMicrometersLoggingToTheAgentLog() {
        MetricsAgentRegistry.newRegistry(Map.of()).close();
        assertSame(MicrometerLogBridge.class, InternalLoggerFactory.getDefaultFactory().getClass());

        InternalLogger log = InternalLoggerFactory.getInstance("io.micrometer.core.instrument.MeterRegistry");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream before = MetricsAgentLog.redirect(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            log.warn("filter {} added after {} meters", "gc", 3);
            log.info("only with debug");
            log.debug("only with debug {}", 1);
            // A flood (Micrometer may warn on every failed registration): no more lines this minute.
            for (int i = 0; i < 1000; i++) {
                log.error("failed", new IllegalStateException("boom " + i));
            }
        } finally {
            MetricsAgentLog.redirect(before);
        }
        assertEquals("[yawl-metrics-agent] WARN micrometer (MeterRegistry): filter gc added after 3 meters;"
                + " at most one line per 60 s\n", bytes.toString(StandardCharsets.UTF_8));
        assertFalse(log.isDebugEnabled());
    }

    @Test
    void placeholdersAreFilledInOrderAndSurplusOnesStay() {
        assertEquals("a 1 b 2", MicrometerLogBridge.format("a {} b {}", 1, 2));
        assertEquals("a 1 b {}", MicrometerLogBridge.format("a {} b {}", 1));
        assertEquals("no placeholders", MicrometerLogBridge.format("no placeholders"));
        assertEquals("x null", MicrometerLogBridge.format("x {}", (Object) null));
        assertEquals("null", MicrometerLogBridge.format(null));
        assertEquals("lost: java.io.IOException: gone", MicrometerLogBridge.format("lost", new java.io.IOException("gone")));
    }
}
