package dev.yawlmetrics.agent.core;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One WARN line per interval for a kind of event that a client can trigger at will (malformed
 * requests, timeouts, failed logins), so no client can flood the engine's log. The first event
 * is logged at once; later ones only count until the interval has passed, and the next line
 * carries how many happened since the previous one.
 */
public final class RateLimitedLog {
    private final String kind;
    private final long intervalNanos;
    private final AtomicLong sinceLastLine = new AtomicLong();
    private final AtomicLong lastLineAt;

    public RateLimitedLog(String kind, long interval, TimeUnit unit) {
        this.kind = kind;
        this.intervalNanos = unit.toNanos(interval);
        this.lastLineAt = new AtomicLong(System.nanoTime() - intervalNanos);
    }

    /** Counts the event; logs it when the interval allows. @return whether a line was written */
    public boolean warn(String detail) {
        sinceLastLine.incrementAndGet();
        long now = System.nanoTime();
        long last = lastLineAt.get();
        if (now - last < intervalNanos || !lastLineAt.compareAndSet(last, now)) {
            return false;
        }
        long reported = sinceLastLine.getAndSet(0);
        MetricsAgentLog.warn(kind + ": " + detail + (reported > 1 ? " (" + reported + " such events since the last line)" : "")
                + "; at most one line per " + TimeUnit.NANOSECONDS.toSeconds(intervalNanos) + " s");
        return true;
    }
}
