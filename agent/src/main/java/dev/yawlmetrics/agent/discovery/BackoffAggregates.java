package dev.yawlmetrics.agent.discovery;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Per-JVM aggregates over the agents whose discovery loop is running, maintained incrementally:
 * an agent joins when its loop starts, moves when its recorded (empty count, backoff) changes at
 * a sleep, and leaves when its loop ends. Reading any aggregate costs a fixed number of array
 * reads (at most {@link #EMPTY_CAP} + 1), independent of the number of agents.
 *
 * <p>Between the two halves of a move (increment the new slot, then decrement the old one) a
 * concurrent read may see the agent twice; never zero times, so a "max" never dips.
 */
public final class BackoffAggregates {
    /** yawl_agent_backoff_level: level = min(emptyResultsCount, 8). */
    public static final int MAX_LEVEL = 8;
    /** Consecutive empty results are tracked exactly up to this value; larger values read as this. */
    public static final int EMPTY_CAP = 1023;
    static final int MAX_DOUBLINGS = 62;
    /** Poll rates are kept as polls per second x 10^6 (i.e. 10^9 / interval in ms). */
    static final double RATE_SCALE = 1_000_000.0;

    private final AtomicLongArray levels = new AtomicLongArray(MAX_LEVEL + 1);
    private final AtomicLongArray empties = new AtomicLongArray(EMPTY_CAP + 1);
    private final AtomicLongArray doublings = new AtomicLongArray(MAX_DOUBLINGS + 1);
    private final AtomicLong running = new AtomicLong();
    private final AtomicLong inBackoff = new AtomicLong();
    private final AtomicLong baseRate = new AtomicLong();
    private final AtomicLong actualRate = new AtomicLong();

    public void join(int emptyCount, long backoffMs, long baseMs) {
        running.incrementAndGet();
        baseRate.addAndGet(rate(baseMs));
        levels.incrementAndGet(level(emptyCount));
        empties.incrementAndGet(emptyIndex(emptyCount));
        addBackoff(backoffMs, baseMs, 1);
    }

    public void leave(int emptyCount, long backoffMs, long baseMs) {
        addBackoff(backoffMs, baseMs, -1);
        empties.decrementAndGet(emptyIndex(emptyCount));
        levels.decrementAndGet(level(emptyCount));
        baseRate.addAndGet(-rate(baseMs));
        running.decrementAndGet();
    }

    public void move(int oldEmpty, long oldBackoffMs, int emptyCount, long backoffMs, long baseMs) {
        if (oldEmpty != emptyCount) {
            int from = level(oldEmpty);
            int to = level(emptyCount);
            if (from != to) {
                levels.incrementAndGet(to);
                levels.decrementAndGet(from);
            }
            from = emptyIndex(oldEmpty);
            to = emptyIndex(emptyCount);
            if (from != to) {
                empties.incrementAndGet(to);
                empties.decrementAndGet(from);
            }
        }
        if (oldBackoffMs != backoffMs) {
            addBackoff(backoffMs, baseMs, 1);
            addBackoff(oldBackoffMs, baseMs, -1);
        }
    }

    private void addBackoff(long backoffMs, long baseMs, int sign) {
        doublings.addAndGet(doublings(backoffMs, baseMs), sign);
        if (backoffMs > baseMs) {
            inBackoff.addAndGet(sign);
        }
        actualRate.addAndGet(sign * rate(backoffMs));
    }

    // --- reads (gauges) --------------------------------------------------------------------

    public long running() {
        return running.get();
    }

    /** Highest backoff level among running agents; 0 when none runs. */
    public int maxLevel() {
        return highestNonEmpty(levels);
    }

    public long agentsAtLevel(int level) {
        return levels.get(level);
    }

    /** Highest emptyResultsCount among running agents (saturates at {@link #EMPTY_CAP}). */
    public int maxConsecutiveEmpty() {
        return highestNonEmpty(empties);
    }

    /** Highest number of doublings of the base interval among running agents: floor(log2(backoffMs / base)). */
    public int maxBackoffCycles() {
        return highestNonEmpty(doublings);
    }

    /** Running agents whose backoffMs is above their base interval. */
    public long agentsInBackoff() {
        return inBackoff.get();
    }

    /** Polls per second if every running agent polled at the interval it is using now. */
    public double actualPollsPerSecond() {
        return actualRate.get() / RATE_SCALE;
    }

    /** Polls per second if every running agent polled at its base interval. */
    public double basePollsPerSecond() {
        return baseRate.get() / RATE_SCALE;
    }

    /** 100 x (1 - actual / base); 0 when no agent runs. */
    public double loadReductionPercent() {
        long base = baseRate.get();
        if (base <= 0) {
            return 0;
        }
        return 100.0 * (1.0 - (double) actualRate.get() / base);
    }

    private static int highestNonEmpty(AtomicLongArray counts) {
        for (int i = counts.length() - 1; i > 0; i--) {
            if (counts.get(i) > 0) {
                return i;
            }
        }
        return 0;
    }

    static int level(int emptyCount) {
        return Math.max(0, Math.min(emptyCount, MAX_LEVEL));
    }

    static int emptyIndex(int emptyCount) {
        return Math.max(0, Math.min(emptyCount, EMPTY_CAP));
    }

    static int doublings(long backoffMs, long baseMs) {
        if (baseMs <= 0 || backoffMs <= baseMs) {
            return 0;
        }
        return Math.min(MAX_DOUBLINGS, 63 - Long.numberOfLeadingZeros(backoffMs / baseMs));
    }

    static long rate(long intervalMs) {
        return 1_000_000_000L / Math.max(1L, intervalMs);
    }
}
