package dev.yawlmetrics.agent.marketplace;

import dev.yawlmetrics.agent.config.InstrumentationName;
import dev.yawlmetrics.agent.metrics.AgentMetrics;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;

import java.util.ArrayList;
import java.util.Arrays;
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
    private final DistributionSummary[] sources;
    private final Labels labels;

    /**
     * @param sources the query-latency meters to merge; they all use {@code bounds}
     * @param ignoredTag the sources' own dimension ("query"); their other tags (the registry's
     *                   common tags) become this histogram's labels
     */
    LivenessFilterHistogram(String prometheusName, String help, double[] bounds, List<DistributionSummary> sources,
                            String ignoredTag) {
        this.name = prometheusName;
        this.help = help;
        this.bounds = bounds.clone();
        Arrays.sort(this.bounds);
        this.sources = sources.toArray(new DistributionSummary[0]);
        List<String> names = new ArrayList<>();
        List<String> values = new ArrayList<>();
        if (!sources.isEmpty()) {
            for (Tag t : sources.get(0).getId().getTagsAsIterable()) {
                if (!t.getKey().equals(ignoredTag)) {
                    names.add(t.getKey());
                    values.add(t.getValue());
                }
            }
        }
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
            AgentMetrics.recordingError(InstrumentationName.MARKETPLACE, t);
            return null;
        }
    }

    private MetricSnapshot merge() {
        long[] cumulative = new long[bounds.length];
        long count = 0;
        double sum = 0;
        for (DistributionSummary source : sources) {
            HistogramSnapshot s = source.takeSnapshot();
            count += s.count();
            sum += s.total();
            for (CountAtBucket c : s.histogramCounts()) {
                int i = Arrays.binarySearch(bounds, c.bucket());
                if (i >= 0) {
                    cumulative[i] += (long) c.count();
                }
            }
        }
        ClassicHistogramBuckets.Builder buckets = ClassicHistogramBuckets.builder();
        long previous = 0;
        for (int i = 0; i < bounds.length; i++) {
            // Counts taken one source at a time may be a few calls apart; never let a bucket go negative.
            long c = Math.max(cumulative[i], previous);
            buckets.bucket(bounds[i], c - previous);
            previous = c;
        }
        buckets.bucket(Double.POSITIVE_INFINITY, Math.max(0, count - previous));
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
