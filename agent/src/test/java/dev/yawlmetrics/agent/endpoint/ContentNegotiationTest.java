package dev.yawlmetrics.agent.endpoint;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ContentNegotiationTest {
    @Test
    void openMetricsOnlyWhenAskedForWithNonZeroQuality() {
        assertTrue(MetricsEndpoint.wantsOpenMetrics("application/openmetrics-text; version=1.0.0; charset=utf-8"));
        assertTrue(MetricsEndpoint.wantsOpenMetrics(
                "application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.4,*/*;q=0.1"));
        assertFalse(MetricsEndpoint.wantsOpenMetrics("text/plain"));
        assertFalse(MetricsEndpoint.wantsOpenMetrics(null));
        assertFalse(MetricsEndpoint.wantsOpenMetrics("application/openmetrics-text;q=0"));
    }

    @Test
    void gzipOnlyWhenAcceptedWithNonZeroQuality() {
        assertTrue(MetricsEndpoint.acceptsGzip("gzip"));
        assertTrue(MetricsEndpoint.acceptsGzip("br, gzip;q=0.8"));
        assertTrue(MetricsEndpoint.acceptsGzip("*"));
        assertFalse(MetricsEndpoint.acceptsGzip("gzip;q=0"));
        assertFalse(MetricsEndpoint.acceptsGzip("identity"));
        assertFalse(MetricsEndpoint.acceptsGzip(null));
    }
}
