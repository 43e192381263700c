package dev.yawlmetrics.agent.endpoint;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ContentNegotiationTest {
    @Test
    void openMetricsOnlyWhenAskedForWithNonZeroQuality() {
        assertTrue(MetricsHandler.wantsOpenMetrics("application/openmetrics-text; version=1.0.0; charset=utf-8"));
        assertTrue(MetricsHandler.wantsOpenMetrics(
                "application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.4,*/*;q=0.1"));
        assertFalse(MetricsHandler.wantsOpenMetrics("text/plain"));
        assertFalse(MetricsHandler.wantsOpenMetrics(null));
        assertFalse(MetricsHandler.wantsOpenMetrics("application/openmetrics-text;q=0"));
    }

    @Test
    void gzipOnlyWhenAcceptedWithNonZeroQuality() {
        assertTrue(MetricsHandler.acceptsGzip("gzip"));
        assertTrue(MetricsHandler.acceptsGzip("br, gzip;q=0.8"));
        assertTrue(MetricsHandler.acceptsGzip("*"));
        assertFalse(MetricsHandler.acceptsGzip("gzip;q=0"));
        assertFalse(MetricsHandler.acceptsGzip("identity"));
        assertFalse(MetricsHandler.acceptsGzip(null));
    }
}
