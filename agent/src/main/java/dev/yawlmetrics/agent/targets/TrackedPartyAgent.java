package dev.yawlmetrics.agent.targets;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Added at load time to {@code GenericPartyAgent} (with three synthetic fields and generated
 * accessors), so the per-agent state the metrics need lives in the agent instance itself and
 * dies with it: no map keyed by agent, nothing to clean up, nothing held after an agent is
 * dropped. Costs 16 bytes per instance (see docs/instrumentations/lifecycle-discovery.md).
 *
 * <p>The engine-field accessors ({@code lifecycle}, {@code emptyResultsCount}, {@code backoffMs},
 * {@code baseIntervalMs}) are plain generated getters of the engine's own private fields, so the
 * recorders read exactly what the engine's code uses, with no reflection.
 */
public interface TrackedPartyAgent {
    /** System.nanoTime() when the agent entered its current lifecycle state (0 = unknown). */
    long yawlMetrics$stateSince();

    void yawlMetrics$stateSince(long nanos);

    /** Consecutive empty results last recorded for this agent, plus one; 0 = not in a discovery loop. */
    int yawlMetrics$empties();

    void yawlMetrics$empties(int emptiesPlusOne);

    /** The backoff interval (ms, clamped to int) last recorded for this agent. */
    int yawlMetrics$backoff();

    void yawlMetrics$backoff(int ms);

    AtomicReference<?> yawlMetrics$lifecycle();

    int yawlMetrics$emptyResultsCount();

    long yawlMetrics$backoffMs();

    long yawlMetrics$baseIntervalMs();
}
