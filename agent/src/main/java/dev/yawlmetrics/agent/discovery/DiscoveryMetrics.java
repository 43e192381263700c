package dev.yawlmetrics.agent.discovery;

import dev.yawlmetrics.agent.targets.TrackedPartyAgent;
import dev.yawlmetrics.agent.metrics.Buckets;
import dev.yawlmetrics.agent.metrics.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Discovery and backoff meters. Per-agent state (last recorded empty count and backoff) is kept
 * in the agent through {@link TrackedPartyAgent}; the aggregates live in {@link BackoffAggregates}.
 * Plain Java, unit-tested without an agent.
 */
public final class DiscoveryMetrics {
    private final Counter[] attempts = new Counter[DiscoveryOutcome.values().length];
    private final Counter checkoutSuccess;
    private final Counter checkoutFailure;
    private final Counter checkinSuccess;
    private final Counter checkinError;
    private final DistributionSummary sleep;
    private final BackoffAggregates aggregates = new BackoffAggregates();

    public DiscoveryMetrics(MeterRegistry registry) {
        for (DiscoveryOutcome o : DiscoveryOutcome.values()) {
            attempts[o.ordinal()] = Counter.builder(MetricNames.AGENT_DISCOVERY_ATTEMPTS)
                    .description("GenericPartyAgent discovery cycles: success = work processed, no_work = none, timeout/error = the cycle threw")
                    .tag("outcome", o.label)
                    .register(registry);
        }
        checkoutSuccess = checkout(registry, "success");
        checkoutFailure = checkout(registry, "failure");
        checkinSuccess = checkin(registry, "success");
        checkinError = checkin(registry, "error");
        sleep = DistributionSummary.builder(MetricNames.BACKOFF_SLEEP)
                .description("Sleep requested by each discovery cycle (backoff plus jitter), ms")
                .serviceLevelObjectives(Buckets.LONG_MS)
                .register(registry);
        BackoffAggregates a = aggregates;
        Gauge.builder(MetricNames.AGENT_BACKOFF_LEVEL, a, BackoffAggregates::maxLevel)
                .description("Highest backoff level among running agents; level = min(consecutive empty discovery results, 8)")
                .register(registry);
        for (int level = 0; level <= BackoffAggregates.MAX_LEVEL; level++) {
            int l = level;
            Gauge.builder(MetricNames.AGENT_BACKOFF_LEVEL_AGENTS, a, x -> x.agentsAtLevel(l))
                    .description("Running agents at each backoff level")
                    .tag("level", Integer.toString(level))
                    .register(registry);
        }
        Gauge.builder(MetricNames.BACKOFF_CYCLES, a, BackoffAggregates::maxBackoffCycles)
                .description("Highest number of doublings of the base poll interval among running agents: floor(log2(backoffMs / baseIntervalMs))")
                .register(registry);
        Gauge.builder(MetricNames.AGENTS_IN_BACKOFF, a, BackoffAggregates::agentsInBackoff)
                .description("Running agents whose backoff interval is above their base interval")
                .register(registry);
        Gauge.builder(MetricNames.EMPTY_RESULT_CONSECUTIVE, a, BackoffAggregates::maxConsecutiveEmpty)
                .description("Highest count of consecutive empty discovery results among running agents (saturates at 1023)")
                .register(registry);
        Gauge.builder(MetricNames.POLLING_LOAD_REDUCTION, a, BackoffAggregates::loadReductionPercent)
                .description("100 x (1 - sum over running agents of 1/backoffMs / sum of 1/baseIntervalMs): polling saved by backoff right now, %")
                .register(registry);
    }

    private static Counter checkout(MeterRegistry registry, String outcome) {
        return Counter.builder(MetricNames.AGENT_CHECKOUTS)
                .description("checkOutWorkItem calls from GenericPartyAgent.processWorkItem; failure = threw, or answered null or failure/error")
                .tag("outcome", outcome).register(registry);
    }

    private static Counter checkin(MeterRegistry registry, String outcome) {
        return Counter.builder(MetricNames.AGENT_CHECKINS)
                .description("checkInWorkItem calls from GenericPartyAgent.processWorkItem; success = the answer contains 'success', error = anything else or threw")
                .tag("outcome", outcome).register(registry);
    }

    public BackoffAggregates aggregates() {
        return aggregates;
    }

    public void cycleFinished(boolean processed, Throwable thrown) {
        attempts[DiscoveryOutcome.of(processed, thrown).ordinal()].increment();
    }

    /** The engine's rule: a check-out failed when the answer is null or contains "failure" or "error" (a throw arrives as null). */
    public void checkedOut(String answer) {
        boolean failed = answer == null || answer.contains("failure") || answer.contains("error");
        (failed ? checkoutFailure : checkoutSuccess).increment();
    }

    /** The engine's rule: a check-in succeeded when the answer contains "success". */
    public void checkedIn(String answer) {
        (answer != null && answer.contains("success") ? checkinSuccess : checkinError).increment();
    }

    public void loopStarted(TrackedPartyAgent agent) {
        if (agent.yawlMetrics$empties() != 0) {
            loopEnded(agent);
        }
        int empty = Math.max(0, agent.yawlMetrics$emptyResultsCount());
        long backoff = clampMs(agent.yawlMetrics$backoffMs());
        aggregates.join(empty, backoff, agent.yawlMetrics$baseIntervalMs());
        agent.yawlMetrics$backoff((int) backoff);
        agent.yawlMetrics$empties(Math.min(empty, Integer.MAX_VALUE - 1) + 1);
    }

    public void loopEnded(TrackedPartyAgent agent) {
        int recorded = agent.yawlMetrics$empties();
        if (recorded == 0) {
            return;
        }
        agent.yawlMetrics$empties(0);
        aggregates.leave(recorded - 1, agent.yawlMetrics$backoff(), agent.yawlMetrics$baseIntervalMs());
    }

    /** At the loop's sleep: the cycle's empty count and backoff are final, the sleep is about to start. */
    public void sleeping(TrackedPartyAgent agent, double sleepMs) {
        sleep.record(sleepMs);
        refresh(agent);
    }

    /**
     * After a late attach: a discovery loop already running keeps the engine's original loop code
     * (its frame never returns), so the agent sees it at each cycle's start, where the fields still
     * hold what the loop just slept on. The sleep itself (jitter included) is not seen.
     */
    public void cycleStarting(TrackedPartyAgent agent) {
        refresh(agent);
    }

    private void refresh(TrackedPartyAgent agent) {
        int recorded = agent.yawlMetrics$empties();
        if (recorded == 0) {
            loopStarted(agent);
            return;
        }
        int empty = Math.max(0, agent.yawlMetrics$emptyResultsCount());
        long backoff = clampMs(agent.yawlMetrics$backoffMs());
        int oldEmpty = recorded - 1;
        int oldBackoff = agent.yawlMetrics$backoff();
        if (oldEmpty != empty || oldBackoff != backoff) {
            aggregates.move(oldEmpty, oldBackoff, empty, backoff, agent.yawlMetrics$baseIntervalMs());
            agent.yawlMetrics$backoff((int) backoff);
            agent.yawlMetrics$empties(Math.min(empty, Integer.MAX_VALUE - 1) + 1);
        }
    }

    private static long clampMs(long ms) {
        return Math.max(0, Math.min(ms, Integer.MAX_VALUE));
    }
}
