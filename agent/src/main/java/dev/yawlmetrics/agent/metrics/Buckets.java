package dev.yawlmetrics.agent.metrics;

/**
 * Explicit histogram buckets, in milliseconds. Each set contains every threshold that an alert or
 * SLO of the shipped rules uses, so {@code histogram_quantile} can answer exactly at the line
 * that matters: 10 ms (marketplace SLO), 100 ms (heartbeat and etcd), 200 and 500 ms (HTTP client),
 * 15 s (renewal lateness: half the engine's 30 s lease TTL).
 */
public final class Buckets {
    private Buckets() {}

    /**
     * General latency, 1 ms .. 10 s. Whole numbers only: Micrometer's fixed-boundary histogram
     * records {@code Math.ceil(value)}, so a fractional bound such as 0.5 would never count what
     * its {@code le} label claims (0.3 ms lands in le=1). The mean stays exact through _sum/_count.
     */
    public static final double[] LATENCY_MS = {
        1, 2, 5, 10, 25, 50, 100, 200, 250, 500, 1000, 2500, 5000, 10000
    };

    /** Sleeps and state durations, which span milliseconds to minutes. */
    public static final double[] LONG_MS = {
        1, 10, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 120000, 300000, 600000
    };

    /** jvm_gc_pause_seconds buckets, in seconds (a Micrometer Timer): 0.5 s is the design's p99 alert line. */
    public static final double[] GC_PAUSE_SECONDS = {
        0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10
    };

    /**
     * Renewal lateness: {@link #LONG_MS} plus 15 s, half the engine's default lease TTL (30 s), the
     * HeartbeatRenewalLate threshold; without it the p99 would be interpolated between 10 s and 30 s.
     */
    public static final double[] LATENESS_MS = {
        1, 10, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 15000, 30000, 60000, 120000, 300000, 600000
    };
}
