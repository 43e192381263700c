package dev.yawlmetrics.agent.etcd;

import dev.yawlmetrics.agent.targets.EtcdOutcome;
import dev.yawlmetrics.agent.metrics.Buckets;
import dev.yawlmetrics.agent.metrics.LeanHistogram;
import dev.yawlmetrics.agent.metrics.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** The etcd client-side meters, all created up front (4 query types x 3 outcomes); unit-testable. */
public final class EtcdMetrics {
    private final LeanHistogram[] latency;
    private final Counter[][] requests = new Counter[EtcdQueryType.values().length][EtcdOutcome.values().length];

    public EtcdMetrics(MeterRegistry registry) {
        String[] types = new String[EtcdQueryType.values().length];
        for (EtcdQueryType q : EtcdQueryType.values()) {
            types[q.ordinal()] = q.label();
        }
        // Lean: recorded on every renewal, next to the heartbeat's own two histograms.
        latency = LeanHistogram.register(registry, MetricNames.ETCD_QUERY_LATENCY,
                "Duration of each etcd call of EtcdAgentRegistryClient (publishToEtcd, deleteFromEtcd, "
                        + "fetchAllFromEtcd), whatever its outcome, ms", Buckets.LATENCY_MS, "query_type", types);
        for (EtcdQueryType q : EtcdQueryType.values()) {
            for (EtcdOutcome o : EtcdOutcome.values()) {
                requests[q.ordinal()][o.ordinal()] = Counter.builder(MetricNames.ETCD_REQUESTS)
                        .description("etcd calls of EtcdAgentRegistryClient by query type and outcome "
                                + "(timeout = java.net.http timeout exception, error = any other exception)")
                        .tag("query_type", q.label())
                        .tag("outcome", o.label())
                        .register(registry);
            }
        }
    }

    public void record(EtcdQueryType type, EtcdOutcome outcome, long nanos) {
        latency[type.ordinal()].record(nanos / 1_000_000.0);
        requests[type.ordinal()][outcome.ordinal()].increment();
    }
}
