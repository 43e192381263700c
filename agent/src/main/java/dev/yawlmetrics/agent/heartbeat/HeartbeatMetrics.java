package dev.yawlmetrics.agent.heartbeat;

import dev.yawlmetrics.agent.targets.EtcdOutcome;
import dev.yawlmetrics.agent.metrics.Buckets;
import dev.yawlmetrics.agent.metrics.LeanHistogram;
import dev.yawlmetrics.agent.metrics.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** The heartbeat meters, created once; plain Java so it is unit-testable without an agent. */
public final class HeartbeatMetrics {
    // Lean histograms: a renewal records three, and this is the engine's hottest scheduled path.
    private final LeanHistogram latency;
    private final LeanHistogram lateness;
    private final Counter[] renewals = new Counter[EtcdOutcome.values().length];
    private final Counter reconnectHeartbeatMiss;
    private final Counter reconnectManual;

    HeartbeatMetrics(MeterRegistry registry, ExecutorTracker executors) {
        latency = LeanHistogram.register(registry, MetricNames.HEARTBEAT_LATENCY,
                "Duration of each heartbeat renewal (the scheduled lambda, including its etcd put), ms",
                Buckets.LATENCY_MS, null)[0];
        lateness = LeanHistogram.register(registry, MetricNames.HEARTBEAT_LATENESS,
                "How late each renewal started relative to its fixed-rate schedule, ms", Buckets.LATENESS_MS, null)[0];
        for (EtcdOutcome o : EtcdOutcome.values()) {
            renewals[o.ordinal()] = Counter.builder(MetricNames.HEARTBEAT_RENEWAL)
                    .description("Heartbeat renewals by outcome of the etcd put the renewal made "
                            + "(timeout = java.net.http timeout exception, error = any other exception or no put)")
                    .tag("outcome", o.label())
                    .register(registry);
        }
        // Every renewal counts under exactly one outcome, so the executor's task count is their sum,
        // read at scrape time: one counter update less on the heartbeat thread per renewal. The
        // function counter holds its object weakly: the object is the first outcome counter, which
        // the registry itself holds, and the function holds the array.
        Counter[] byOutcome = renewals;
        FunctionCounter.builder(MetricNames.HEARTBEAT_TASK_COUNT, renewals[0], first -> sum(byOutcome))
                .description("Heartbeat renewals executed by the heartbeat executor")
                .register(registry);
        reconnectHeartbeatMiss = reconnects(registry, "heartbeat_miss");
        reconnectManual = reconnects(registry, "manual");
        Gauge.builder(MetricNames.HEARTBEAT_QUEUE_DEPTH, executors, ExecutorTracker::queueDepth)
                .description("Tasks in the delay queues of all heartbeat executors (scheduled renewals not running now)")
                .strongReference(true)
                .register(registry);
        Gauge.builder(MetricNames.HEARTBEAT_ACTIVE_THREADS, executors, ExecutorTracker::activeThreads)
                .description("Heartbeat executor threads running a renewal right now, all clients summed")
                .strongReference(true)
                .register(registry);
    }

    private static Counter reconnects(MeterRegistry registry, String reason) {
        return Counter.builder(MetricNames.AGENT_RECONNECTS)
                .description("Agent reconnects by reason (heartbeat_miss: a renewal succeeded after failed renewals of the "
                        + "same agent; manual: register() for an id with an active heartbeat; discovery_restart: lifecycle)")
                .tag("reason", reason)
                .register(registry);
    }

    /** A renewal of a heartbeat scheduled before a late attach: its schedule, hence its lateness, is unknown. */
    static final long UNKNOWN_LATENESS = Long.MIN_VALUE;

    void recordRenewal(EtcdOutcome outcome, long durationNanos, long latenessNanos, boolean recovered) {
        latency.record(durationNanos / 1_000_000.0);
        if (latenessNanos != UNKNOWN_LATENESS) {
            lateness.record(Math.max(0, latenessNanos) / 1_000_000.0);
        }
        renewals[outcome.ordinal()].increment();
        if (recovered) {
            reconnectHeartbeatMiss.increment();
        }
    }

    private static double sum(Counter[] counters) {
        double total = 0;
        for (Counter c : counters) {
            total += c.count();
        }
        return total;
    }

    void recordManualReconnect() {
        reconnectManual.increment();
    }
}
