package dev.yawlmetrics.agent.marketplace;

import dev.yawlmetrics.agent.metrics.Buckets;
import dev.yawlmetrics.agent.metrics.MetricNames;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;

/** The marketplace meters, created once; plain Java so it is unit-testable without an agent. */
public final class MarketplaceMetrics {
    private final DistributionSummary[] queryLatency = new DistributionSummary[MarketplaceQuery.values().length];

    public MarketplaceMetrics(MeterRegistry registry) {
        for (MarketplaceQuery q : MarketplaceQuery.values()) {
            queryLatency[q.ordinal()] = DistributionSummary.builder(MetricNames.MARKETPLACE_QUERY_LATENCY)
                    .description("Duration of each public AgentMarketplace query, whole call including its stream's terminal operation, ms")
                    .tag("query", q.label())
                    .serviceLevelObjectives(Buckets.LATENCY_MS)
                    .register(registry);
        }
    }

    public void recordQuery(MarketplaceQuery query, long nanos) {
        queryLatency[query.ordinal()].record(nanos / 1_000_000.0);
    }
}
