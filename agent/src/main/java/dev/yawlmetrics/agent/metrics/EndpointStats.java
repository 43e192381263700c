package dev.yawlmetrics.agent.metrics;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The metrics endpoint's self-metrics as plain counters (here, not in the endpoint package, because
 * the health meters bind them and metrics never points back at the endpoint), so they exist before the registry and cost an
 * atomic increment per request. Status codes form a fixed set: any other code is counted as
 * "other", so the label never takes a value from a request.
 */
public final class EndpointStats {
    /** Every status the endpoint can answer, in label order; the last slot is "other". */
    public static final int[] CODES = {200, 400, 401, 404, 405, 413, 414, 431, 500, 503, 505};
    private static final AtomicLongArray BY_CODE = new AtomicLongArray(CODES.length + 1);
    private static final AtomicLongArray REJECTED = new AtomicLongArray(Rejection.values().length);
    private static final AtomicLong OPEN = new AtomicLong();
    private static final AtomicLong TIMED_OUT = new AtomicLong();
    private static final AtomicLong WEB_CONFIG_ERRORS = new AtomicLong();

    /** Why a request or connection was turned away for overload (the label values). */
    public enum Rejection {
        /** every scrape worker busy: 503 with Retry-After. */
        BUSY("workers_busy"),
        /** every connection slot taken by connections that could not be evicted. */
        CONNECTIONS("connections_full"),
        /** a slow or idle connection closed to make room for a new one. */
        EVICTED("evicted_idle");

        private final String label;

        Rejection(String label) {
            this.label = label;
        }

        public String label() { return label; }
    }

    private EndpointStats() {}

    public static void countStatus(int code) {
        BY_CODE.incrementAndGet(slotOf(code));
    }

    public static int slotOf(int code) {
        for (int i = 0; i < CODES.length; i++) {
            if (CODES[i] == code) {
                return i;
            }
        }
        return CODES.length;
    }

    public static String labelOf(int slot) {
        return slot < CODES.length ? Integer.toString(CODES[slot]) : "other";
    }

    public static int slots() { return CODES.length + 1; }

    public static long requests(int slot) { return BY_CODE.get(slot); }

    public static void countRejected(Rejection r) { REJECTED.incrementAndGet(r.ordinal()); }

    public static long rejected(Rejection r) { return REJECTED.get(r.ordinal()); }

    public static void connectionOpened() { OPEN.incrementAndGet(); }

    public static void connectionClosed() { OPEN.decrementAndGet(); }

    public static long openConnections() { return OPEN.get(); }

    public static void countTimedOut() { TIMED_OUT.incrementAndGet(); }

    public static long timedOut() { return TIMED_OUT.get(); }

    public static void countWebConfigError() { WEB_CONFIG_ERRORS.incrementAndGet(); }

    public static long webConfigErrors() { return WEB_CONFIG_ERRORS.get(); }
}
