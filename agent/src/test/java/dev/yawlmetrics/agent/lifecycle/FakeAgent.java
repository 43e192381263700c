package dev.yawlmetrics.agent.lifecycle;

import dev.yawlmetrics.agent.targets.TrackedPartyAgent;
import java.util.concurrent.atomic.AtomicReference;

/** What the load-time rewrite gives GenericPartyAgent, as plain Java for unit tests. */
public class FakeAgent implements TrackedPartyAgent {
    public enum State { CREATED, INITIALIZING, DISCOVERING, REASONING, ACTING, REPORTING, STOPPING, STOPPED, FAILED }

    public final AtomicReference<State> lifecycle = new AtomicReference<>(State.CREATED);
    public int emptyResultsCount;
    public long backoffMs;
    public final long baseIntervalMs;
    private long since;
    private int empties;
    private int backoff;

    public FakeAgent(long baseIntervalMs) {
        this.baseIntervalMs = baseIntervalMs;
        this.backoffMs = baseIntervalMs;
    }

    @Override public long yawlMetrics$stateSince() { return since; }
    @Override public void yawlMetrics$stateSince(long nanos) { since = nanos; }
    @Override public int yawlMetrics$empties() { return empties; }
    @Override public void yawlMetrics$empties(int v) { empties = v; }
    @Override public int yawlMetrics$backoff() { return backoff; }
    @Override public void yawlMetrics$backoff(int ms) { backoff = ms; }
    @Override public AtomicReference<?> yawlMetrics$lifecycle() { return lifecycle; }
    @Override public int yawlMetrics$emptyResultsCount() { return emptyResultsCount; }
    @Override public long yawlMetrics$backoffMs() { return backoffMs; }
    @Override public long yawlMetrics$baseIntervalMs() { return baseIntervalMs; }

    /** The engine's backoff step after one discovery cycle. */
    public void cycle(boolean processed) {
        if (processed) {
            emptyResultsCount = 0;
            backoffMs = baseIntervalMs;
        } else {
            emptyResultsCount++;
            backoffMs = Math.min(baseIntervalMs * (1L << Math.min(emptyResultsCount - 1, 6)), 60_000);
        }
    }
}
