package dev.yawlmetrics.agent.marketplace;

import dev.yawlmetrics.agent.metrics.MetricsAgentHealth;
import dev.yawlmetrics.agent.config.InstrumentationName;
import dev.yawlmetrics.agent.metrics.MetricsAgentRegistry;
import dev.yawlmetrics.agent.metrics.LeanHistogram;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code yawl_marketplace_liveness_filter_duration_ms}, built at scrape time from the query-latency
 * histograms of the queries that consume {@code liveListings()}: both measure exactly the same
 * interval (entry to return of such a query, in which the lazy stream is consumed), so recording
 * a second histogram per call would double the per-call cost for nothing. Here the engine's
 * threads pay nothing extra; the scrape adds the source histograms' buckets, counts and sums.
 * All sources share one bucket layout, so the merge is exact.
 */
final class LivenessFilterHistogram implements Collector {
    private final String name;
    private final String help;
    private final double[] bounds;
    private final LeanHistogram[] sources;
    private final Labels labels;

    /** @param sources the query-latency histograms to merge; they all share one bucket layout */
    LivenessFilterHistogram(String prometheusName, String help, List<LeanHistogram> sources) {
        this.name = prometheusName;
        this.help = help;
        this.sources = sources.toArray(new LeanHistogram[0]);
        this.bounds = sources.isEmpty() ? new double[0] : sources.get(0).bounds();
        List<String> names = new ArrayList<>();
        List<String> values = new ArrayList<>();
        MetricsAgentRegistry.config().commonTags().forEach((k, v) -> {
            names.add(k);
            values.add(v);
        });
        this.labels = Labels.of(names, values);
    }

    @Override
    public String getPrometheusName() {
        return name;
    }

    /** Never fails the scrape: on an error of ours the family is left out (null) and the error counted. */
    @Override
    public MetricSnapshot collect() {
        try {
            return merge();
        } catch (Throwable t) {
            MetricsAgentHealth.recordingError(InstrumentationName.MARKETPLACE, t);
            return null;
        }
    }

    private MetricSnapshot merge() {
        long[] counts = new long[bounds.length + 1];
        double sum = 0;
        for (LeanHistogram source : sources) {
            long[] c = source.bucketCounts();
            for (int i = 0; i < counts.length; i++) {
                counts[i] += c[i];
            }
            sum += source.sum();
        }
        ClassicHistogramBuckets.Builder buckets = ClassicHistogramBuckets.builder();
        for (int i = 0; i < bounds.length; i++) {
            buckets.bucket(bounds[i], counts[i]);
        }
        buckets.bucket(Double.POSITIVE_INFINITY, counts[bounds.length]);
        HistogramDataPointSnapshot.Builder point = HistogramDataPointSnapshot.builder()
                .classicHistogramBuckets(buckets.build())
                .labels(labels);
        point.sum(sum);
        return io.prometheus.metrics.model.snapshots.HistogramSnapshot.builder()
                .name(name)
                .help(help)
                .dataPoint(point.build())
                .build();
    }
}
