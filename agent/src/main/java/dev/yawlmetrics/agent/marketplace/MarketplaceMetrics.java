package dev.yawlmetrics.agent.marketplace;

import dev.yawlmetrics.agent.metrics.MetricsAgentHealth;
import dev.yawlmetrics.agent.config.InstrumentationName;
import dev.yawlmetrics.agent.metrics.AgentMeterRegistry;
import dev.yawlmetrics.agent.metrics.Buckets;
import dev.yawlmetrics.agent.metrics.LeanHistogram;
import dev.yawlmetrics.agent.metrics.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The marketplace meters, all created up front (no tags are built per call); plain Java so it is
 * unit-testable without an agent. Every per-call method is allocation-free: an array index or a
 * field, then the meter's own record/increment.
 */
public final class MarketplaceMetrics {
    private final MeterRegistry registry;
    private final MarketplaceInstances instances;
    /** Lean: recorded on every query, the engine's matchmaking hot path. */
    private final LeanHistogram[] queryLatency;
    private final DistributionSummary[] indexSync = new DistributionSummary[IndexOperation.ALL.length];
    private final Counter publishSuccess;
    private final Counter publishRejected;
    private final Counter heartbeatApplied;
    private final Counter heartbeatStale;
    private final Counter unpublish;
    private volatile boolean indexGaugeRegistered;

    /** Whole-number bounds only (see {@link Buckets#LATENCY_MS}), the 10 ms SLO line included. */
    static final double[] BUCKETS_MS = Buckets.LATENCY_MS;

    public MarketplaceMetrics(MeterRegistry registry) {
        this(registry, new MarketplaceInstances());
    }

    MarketplaceMetrics(MeterRegistry registry, MarketplaceInstances instances) {
        this.registry = registry;
        this.instances = instances;
        String[] labels = new String[MarketplaceQuery.ALL.length];
        for (MarketplaceQuery q : MarketplaceQuery.ALL) {
            labels[q.ordinal()] = q.label();
        }
        queryLatency = LeanHistogram.register(registry, MetricNames.MARKETPLACE_QUERY_LATENCY,
                "Duration of each public AgentMarketplace query, whole call including its stream's terminal operation, ms",
                BUCKETS_MS, "query", labels);
        List<LeanHistogram> livenessConsumers = new ArrayList<>();
        for (MarketplaceQuery q : MarketplaceQuery.ALL) {
            if (q.consumesLivenessFilter) {
                livenessConsumers.add(queryLatency[q.ordinal()]);
            }
        }
        if (registry instanceof PrometheusMeterRegistry) {
            ((PrometheusMeterRegistry) registry).getPrometheusRegistry().register(new LivenessFilterHistogram(
                    MetricNames.MARKETPLACE_LIVENESS_FILTER.replace('.', '_'),
                    "Duration of each AgentMarketplace query that consumes the lazy liveListings() stream, from entry "
                            + "to return (the liveness filtering runs inside it, in the terminal operation), ms",
                    livenessConsumers, AgentMeterRegistry.commonTagsOf(registry)));
        }
        for (IndexOperation op : IndexOperation.ALL) {
            indexSync[op.ordinal()] = DistributionSummary.builder(MetricNames.MARKETPLACE_INDEX_SYNC)
                    .description("Duration of the index-maintaining AgentMarketplace calls publish/unpublish/heartbeat, ms")
                    .tag("operation", op.label())
                    .serviceLevelObjectives(BUCKETS_MS)
                    .register(registry);
        }
        publishSuccess = publishCounter("success");
        publishRejected = publishCounter("rejected");
        heartbeatApplied = heartbeatCounter("applied");
        heartbeatStale = heartbeatCounter("stale_check_fail");
        unpublish = Counter.builder(MetricNames.MARKETPLACE_UNPUBLISH)
                .description("AgentMarketplace.unpublish calls that returned normally (known or unknown id)")
                .register(registry);
        gauge(MetricNames.MARKETPLACE_LISTINGS, "Listings published in the AgentMarketplace instances alive (size())",
                MarketplaceInstances::listings);
        gauge(MetricNames.MARKETPLACE_LIVE_AGENTS,
                "Live agents (heartbeat within the engine's 5 min staleness): the engine's last liveCount()/allLiveListings() "
                        + "result, refreshed by one liveCount() call at scrape time when older than 30 s",
                MarketplaceInstances::liveAgents);
    }

    private Counter publishCounter(String outcome) {
        return Counter.builder(MetricNames.MARKETPLACE_PUBLISH)
                .description("AgentMarketplace.publish calls: success = returned, rejected = the engine threw (bad listing)")
                .tag("outcome", outcome)
                .register(registry);
    }

    private Counter heartbeatCounter(String outcome) {
        return Counter.builder(MetricNames.MARKETPLACE_HEARTBEAT)
                .description("AgentMarketplace.heartbeat calls: applied = listing found and updated, "
                        + "stale_check_fail = no listing for that id (the engine's silent no-op)")
                .tag("outcome", outcome)
                .register(registry);
    }

    private void gauge(String name, String description, ToDoubleFunction<MarketplaceInstances> read) {
        // The gauge holds our tracker strongly; the tracker holds the engine's marketplaces weakly.
        Gauge.builder(name, instances, i -> {
            try {
                return read.applyAsDouble(i);
            } catch (Throwable t) {
                MetricsAgentHealth.recordingError(InstrumentationName.MARKETPLACE, t);
                return Double.NaN;
            }
        }).description(description).register(registry);
    }

    /** Registered once, when the first marketplace with a liveness index ({@code liveAgentIds}) is seen. */
    public void enableLivenessIndexGauge() {
        if (indexGaugeRegistered) {
            return;
        }
        synchronized (this) {
            if (!indexGaugeRegistered) {
                gauge(MetricNames.MARKETPLACE_INDEX_SIZE,
                        "Agent ids in the newer AgentMarketplace's liveness index (liveAgentIds.size())",
                        MarketplaceInstances::livenessIndexSize);
                indexGaugeRegistered = true;
            }
        }
    }

    MarketplaceInstances instances() {
        return instances;
    }

    /** One record: the liveness-filter histogram is derived from these at scrape time. */
    public void recordQuery(MarketplaceQuery query, long nanos) {
        queryLatency[query.ordinal()].record(nanos / 1_000_000.0);
    }

    public void recordIndexSync(IndexOperation op, long nanos) {
        indexSync[op.ordinal()].record(nanos / 1_000_000.0);
    }

    public void countPublish(boolean success) {
        (success ? publishSuccess : publishRejected).increment();
    }

    public void countHeartbeat(boolean applied) {
        (applied ? heartbeatApplied : heartbeatStale).increment();
    }

    public void countUnpublish() {
        unpublish.increment();
    }

    public void observeLiveCount(Object marketplace, long liveCount) {
        track(marketplace).observeLive(liveCount, instances);
    }

    /** Remembers a marketplace (weakly); the first one with a liveness index brings the index gauge. */
    MarketplaceInstances.Instance track(Object marketplace) {
        MarketplaceInstances.Instance i = instances.track(marketplace);
        if (!indexGaugeRegistered && i.accessors.index != null) {
            enableLivenessIndexGauge();
        }
        return i;
    }
}
