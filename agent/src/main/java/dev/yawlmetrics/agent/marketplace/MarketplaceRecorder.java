package dev.yawlmetrics.agent.marketplace;

import dev.yawlmetrics.agent.config.InstrumentationName;
import dev.yawlmetrics.agent.metrics.AgentMetrics;

/**
 * What the inlined advice calls. Public and static because the advice code runs inside the
 * engine's class; every exception stops here.
 */
public final class MarketplaceRecorder {
    private MarketplaceRecorder() {}

    private static final class Holder {
        static final MarketplaceMetrics METRICS = new MarketplaceMetrics(AgentMetrics.registry());
    }

    public static void queryFinished(String method, long startNanos) {
        long elapsed = System.nanoTime() - startNanos;
        try {
            MarketplaceQuery query = MarketplaceQuery.ofMethod(method);
            if (query != null) {
                Holder.METRICS.recordQuery(query, elapsed);
            }
        } catch (Throwable t) {
            AgentMetrics.recordingError(InstrumentationName.MARKETPLACE, t);
        }
    }
}
