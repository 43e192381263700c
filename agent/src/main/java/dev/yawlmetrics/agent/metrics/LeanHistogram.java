package dev.yawlmetrics.agent.metrics;

import dev.yawlmetrics.agent.core.MetricsAgentLog;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * A Prometheus classic histogram for the hottest engine paths (a heartbeat renewal records three
 * histograms): one {@link LongAdder} per bucket and a {@link DoubleAdder} for the sum, nothing
 * else. Micrometer's DistributionSummary also keeps a rotating max and time-windowed buckets,
 * which read the clock on every record and cost two to three times as much; the Prometheus
 * histogram needs neither. Exported through the registry's own Prometheus collector API, so it
 * appears in the same scrape, in both text formats, with the common tags. Unlike Micrometer it
 * compares exact values ({@code value <= le}), so fractional bounds would be honest too.
 */
public final class LeanHistogram {
    private final double[] bounds;
    /** The bounds' raw bits: for values >= 0 (+Infinity included) they sort as the values do. */
    private final long[] boundBits;
    private final LongAdder[] counts;
    private final DoubleAdder sum = new DoubleAdder();

    LeanHistogram(double[] bounds) {
        this.bounds = bounds;
        this.boundBits = new long[bounds.length];
        for (int i = 0; i < bounds.length; i++) {
            if (!(bounds[i] >= 0) || Double.isInfinite(bounds[i])) {
                throw new IllegalArgumentException("histogram bound " + bounds[i] + ": bounds must be finite and >= 0");
            }
            boundBits[i] = Double.doubleToRawLongBits(bounds[i]);
        }
        this.counts = new LongAdder[bounds.length + 1];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    /**
     * Records one observation (negative values count as 0). Never allocates, and never branches on
     * the value: this code is inlined into the engine's own compiled methods (the heartbeat lambda,
     * the HTTP client's send), and C2 drops a branch its profile has never seen taken. With the
     * early-exit bucket search, the first observation past a bucket bound the warm-up never reached
     * (in the benchmark, the first etcd put slower than 1 ms) hit that dropped branch: an unstable_if trap
     * that threw the engine's compiled renewal back to the interpreter to be profiled and compiled
     * again (seen in a compilation log of the capacity benchmark, docs/benchmarks.md). Here the
     * bucket is the number of bounds below the value, summed from sign bits (about 5 ns more per
     * record than the early exit on one warm thread, docs/benchmarks.md).
     */
    public void record(double value) {
        // The clamp to 0: a set sign bit (negative, -0.0, -Infinity) clears every bit, +0.0.
        long bits = Double.doubleToRawLongBits(value);
        long v = bits & ~(bits >> 63);
        int i = 0;
        for (long bound : boundBits) {
            i += (int) ((bound - v) >>> 63); // 1 exactly when value > bound: both are >= 0, so bits order as values
        }
        counts[i].increment();
        sum.add(Double.longBitsToDouble(v));
    }

    /** Upper bounds, sorted (the +Inf bucket is implicit). */
    public double[] bounds() {
        return bounds.clone();
    }

    /** Per-bucket (not cumulative) counts, the last one for +Inf; read at scrape time. */
    public long[] bucketCounts() {
        long[] out = new long[counts.length];
        for (int i = 0; i < counts.length; i++) {
            out[i] = counts[i].sum();
        }
        return out;
    }

    public double sum() {
        return sum.sum();
    }

    long count() {
        long c = 0;
        for (LongAdder a : counts) {
            c += a.sum();
        }
        return c;
    }

    /**
     * Registers one histogram family with one child per value of {@code labelName} (or a single
     * child when {@code labelName} is null) and returns the children in the order of the values.
     * On a registry that is not Prometheus-backed (never the agent's) the children still record
     * but are not exported.
     */
    public static LeanHistogram[] register(MeterRegistry registry, String micrometerName, String help, double[] bounds,
                                           String labelName, String... labelValues) {
        MetricsAgentRegistry.failIfFaultInjected(registry, micrometerName);
        double[] sorted = bounds.clone();
        Arrays.sort(sorted);
        int n = labelName == null ? 1 : labelValues.length;
        LeanHistogram[] children = new LeanHistogram[n];
        List<Labels> labels = new ArrayList<>(n);
        Map<String, String> common = AgentMeterRegistry.commonTagsOf(registry); // the labels Micrometer adds to its own meters
        for (int i = 0; i < n; i++) {
            children[i] = new LeanHistogram(sorted);
            List<String> names = new ArrayList<>(common.keySet());
            List<String> values = new ArrayList<>(common.values());
            if (labelName != null) {
                names.add(labelName);
                values.add(labelValues[i]);
            }
            labels.add(Labels.of(names, values));
        }
        if (registry instanceof PrometheusMeterRegistry) {
            ((PrometheusMeterRegistry) registry).getPrometheusRegistry()
                    .register(new Family(micrometerName.replace('.', '_'), help, sorted, children, labels));
        } else {
            MetricsAgentLog.debug(micrometerName + " not exported: registry " + registry.getClass().getSimpleName() + " is not Prometheus");
        }
        return children;
    }

    /** The exported family: reads the adders at scrape time. */
    static final class Family implements Collector {
        private final String name;
        private final String help;
        private final double[] bounds;
        private final LeanHistogram[] children;
        private final List<Labels> labels;

        Family(String name, String help, double[] bounds, LeanHistogram[] children, List<Labels> labels) {
            this.name = name;
            this.help = help;
            this.bounds = bounds;
            this.children = children;
            this.labels = labels;
        }

        @Override
        public String getPrometheusName() {
            return name;
        }

        @Override
        public MetricSnapshot collect() {
            HistogramSnapshot.Builder family = HistogramSnapshot.builder().name(name).help(help);
            for (int c = 0; c < children.length; c++) {
                LeanHistogram h = children[c];
                ClassicHistogramBuckets.Builder buckets = ClassicHistogramBuckets.builder();
                for (int i = 0; i < bounds.length; i++) {
                    buckets.bucket(bounds[i], h.counts[i].sum());
                }
                buckets.bucket(Double.POSITIVE_INFINITY, h.counts[bounds.length].sum());
                family.dataPoint(HistogramDataPointSnapshot.builder()
                        .classicHistogramBuckets(buckets.build())
                        .sum(h.sum.sum())
                        .labels(labels.get(c))
                        .build());
            }
            return family.build();
        }
    }
}
