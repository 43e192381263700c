package dev.yawlmetrics.agent.heartbeat;

import dev.yawlmetrics.agent.targets.EtcdOutcome;

import java.util.concurrent.TimeUnit;

/**
 * The engine's heartbeat lambda, wrapped when startHeartbeat schedules it. It carries the only
 * per-agent state the agent keeps, inside the task the executor already holds (no map that grows
 * with the fleet): the next scheduled start (for lateness) and whether the previous renewal failed
 * (for {@code reconnect_count{reason="heartbeat_miss"}}). About 40 bytes per registered agent with
 * compressed oops; see docs/instrumentations/heartbeat-etcd.md for the measurement.
 *
 * <p>A periodic task of a ScheduledThreadPoolExecutor never runs concurrently with itself, so the
 * plain fields need no synchronisation beyond the executor's own happens-before edges.
 */
public final class RenewalTask implements Runnable {
    /** Outcome of the current run: set by the advice on publishToEtcd; stays null if no put ran. */
    static final byte NONE = 0;
    /** values() clones its array on every call; this runs once per renewal on the heartbeat thread. */
    private static final EtcdOutcome[] OUTCOMES = EtcdOutcome.values();

    private final Runnable delegate;
    private final long periodNanos;
    /** Start time (System.nanoTime) the fixed-rate schedule gives the next run. */
    private long nextScheduledNanos;
    /** Outcome of the put made by the running renewal ({@link EtcdOutcome} ordinal + 1), 0 if none. */
    byte currentOutcome;
    /** True when the previous renewal of this agent failed. */
    private boolean lastFailed;

    RenewalTask(Runnable delegate, long scheduledAtNanos, long initialDelay, long period, TimeUnit unit) {
        this.delegate = delegate;
        this.periodNanos = unit.toNanos(period);
        this.nextScheduledNanos = scheduledAtNanos + unit.toNanos(initialDelay);
    }

    /**
     * Stands for one run of a heartbeat the engine scheduled before a late attach (no wrapper
     * around it): it carries that run's outcome and start only, so no lateness and no recovery.
     */
    static RenewalTask unscheduled(long startNanos) {
        return new RenewalTask(null, startNanos, 0, 0, TimeUnit.NANOSECONDS);
    }

    /** System.nanoTime() at which an {@link #unscheduled} run started. */
    long unscheduledStart() {
        return nextScheduledNanos;
    }

    @Override
    public void run() {
        long start = System.nanoTime();
        long lateness = start - nextScheduledNanos;
        nextScheduledNanos += periodNanos; // the executor's fixed-rate rule: time += period
        RenewalTask[] current = HeartbeatRecorder.renewalStarted(this);
        currentOutcome = NONE;
        try {
            delegate.run();
        } finally {
            HeartbeatRecorder.renewalFinished(this, current, start, lateness);
        }
    }

    /** The renewal's outcome; a renewal that made no put did not renew anything, so it is an error. */
    EtcdOutcome outcome() {
        return currentOutcome == NONE ? EtcdOutcome.ERROR : OUTCOMES[currentOutcome - 1];
    }

    /** Records this run's success or failure; true when it is a success right after a failure. */
    boolean completeAndCheckRecovery(boolean success) {
        boolean recovered = success && lastFailed;
        lastFailed = !success;
        return recovered;
    }
}
