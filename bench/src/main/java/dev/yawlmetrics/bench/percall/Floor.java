package dev.yawlmetrics.bench.percall;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The least any per-call timing can cost on this machine, measured in the same run: two clock
 * reads and one record into a DistributionSummary with explicit SLO buckets on the same registry
 * type the agent uses (unshaded Micrometer 1.17.2 here). Parts shown separately.
 */
@State(Scope.Thread)
public class Floor {
    /** Same 15 boundaries as the agent's Buckets.LATENCY_MS (the agent's classes are not on this class path). */
    static final double[] SLO_MS = {0.5, 1, 2.5, 5, 10, 25, 50, 100, 200, 250, 500, 1000, 2500, 5000, 10000};

    private DistributionSummary summary;
    private Counter counter;
    private double value;

    @Setup
    public void setUp() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        summary = DistributionSummary.builder("bench.floor_ms").tag("query", "x")
                .serviceLevelObjectives(SLO_MS).register(registry);
        counter = Counter.builder("bench.floor.calls").register(registry);
        value = 0.3;
    }

    /** The floor: what the agent's advice + recorder do at minimum per call. */
    @Benchmark
    public void clockPairAndRecord() {
        long start = System.nanoTime();
        summary.record((System.nanoTime() - start) / 1_000_000.0);
    }

    @Benchmark
    public long clockPair() {
        long start = System.nanoTime();
        return System.nanoTime() - start;
    }

    @Benchmark
    public void recordOnly() {
        summary.record(value);
    }

    @Benchmark
    public void counterIncrement() {
        counter.increment();
    }
}
