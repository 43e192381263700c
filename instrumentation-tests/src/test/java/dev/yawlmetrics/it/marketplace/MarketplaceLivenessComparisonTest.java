package dev.yawlmetrics.it.marketplace;

import dev.yawlmetrics.testsupport.AgentJvm;
import dev.yawlmetrics.testsupport.Scrape;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The design's "confirm the O(N) -> O(K) optimisation via the duration histogram", with
 * N = 100,000 listings of which K = 1,000 are live: the liveness-filter histogram of the older
 * version, of the newer version with the stale agents still published, and of the newer version
 * after they were unpublished. Medians are computed from the scraped bucket deltas the way
 * histogram_quantile does; the figures go to target/marketplace-liveness-figures.txt.
 */
class MarketplaceLivenessComparisonTest {
    static final int N = 100_000;
    static final int K = 1_000;
    static final int WARM_UP = 20;
    static final int MEASURED = 41;
    static final String FILTER = "yawl_marketplace_liveness_filter_duration_ms";

    record Figures(String phase, double count, double median, String medianBucket, double mean) {
        String line() {
            return String.format(Locale.ROOT, "%-44s calls=%3.0f  median=%7.3f ms (bucket %s)  mean=%7.3f ms",
                    phase, count, median, medianBucket, mean);
        }
    }

    @Test
    void theLivenessFilterHistogramShowsWhatTheIndexReallyBuys() throws Exception {
        List<Figures> figures = new ArrayList<>();
        try (AgentJvm jvm = MarketplaceVersion.OLDER.host().start().awaitReady()) {
            populate(jvm);
            Scrape s = jvm.scrape();
            assertEquals(N, s.value("yawl_marketplace_listings"));
            assertTrue(s.find("yawl_marketplace_liveness_index_size").isEmpty(), "the older version has no index");
            figures.add(measure(jvm, "older (O(N) over all listings)"));
        }
        try (AgentJvm jvm = MarketplaceVersion.NEWER.host().start().awaitReady()) {
            populate(jvm);
            Scrape s = jvm.scrape();
            // Nothing removes stale agents from the index: it holds all N, not the K live ones.
            assertEquals(N, s.value("yawl_marketplace_liveness_index_size"));
            assertEquals(K, s.value("yawl_marketplace_live_agents_count"));
            figures.add(measure(jvm, "newer, stale agents still published"));

            assertEquals(Integer.toString(K), jvm.command("unpublish stale 0 " + (N - K)));
            s = jvm.scrape();
            assertEquals(K, s.value("yawl_marketplace_liveness_index_size"));
            assertEquals(K, s.value("yawl_marketplace_listings"));
            assertEquals(N - K, s.value("yawl_marketplace_unpublish_count_total"));
            figures.add(measure(jvm, "newer, after the stale ones were unpublished"));
        }
        StringBuilder out = new StringBuilder("liveness filter duration (liveCount), N=" + N + " K=" + K
                + ", " + MEASURED + " measured calls per phase after " + WARM_UP + " warm-up calls\n");
        for (Figures f : figures) {
            out.append(f.line()).append('\n');
        }
        System.out.print(out);
        Path file = Paths.get("target", "marketplace-liveness-figures.txt");
        Files.createDirectories(file.getParent());
        Files.writeString(file, out.toString());

        for (Figures f : figures) {
            assertEquals(MEASURED, f.count(), f.phase());
        }
        // Work differs 100x between the O(N) scans and the O(K) one; a 3x margin keeps the
        // assertion about complexity, not about this machine's speed.
        assertTrue(figures.get(2).mean() * 3 < figures.get(0).mean(), out.toString());
        assertTrue(figures.get(2).mean() * 3 < figures.get(1).mean(), out.toString());
    }

    private static void populate(AgentJvm jvm) throws Exception {
        jvm.command("publish-stale " + (N - K) + " stale");
        assertEquals(Integer.toString(N), jvm.command("publish " + K + " live"));
    }

    private static Figures measure(AgentJvm jvm, String phase) throws Exception {
        assertEquals(Integer.toString(K), jvm.command("query live_count " + WARM_UP));
        Scrape before = jvm.scrape();
        assertEquals(Integer.toString(K), jvm.command("query live_count " + MEASURED));
        Scrape after = jvm.scrape();
        double count = delta(before, after, FILTER + "_count");
        double sum = delta(before, after, FILTER + "_sum");
        double median = median(before, after);
        return new Figures(phase, count, median, bucketOf(median), sum / count);
    }

    private static double delta(Scrape before, Scrape after, String name) {
        return after.value(name) - before.value(name);
    }

    private static String bucketOf(double value) {
        double lower = 0;
        for (String le : new String[] {"1", "5", "10", "25", "50", "100", "200", "250", "500", "1000"}) {
            double upper = Double.parseDouble(le);
            if (value <= upper) {
                return "(" + (lower == 0 ? "0" : String.valueOf((long) lower)) + ", " + le + "]";
            }
            lower = upper;
        }
        return "> 1000";
    }

    /** histogram_quantile(0.5, ...) over the bucket increases between two scrapes. */
    static double median(Scrape before, Scrape after) {
        TreeMap<Double, Double> cumulative = new TreeMap<>();
        for (Scrape.Sample a : after.find(FILTER + "_bucket")) {
            String le = a.labels().get("le");
            double bound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
            double b = before.value(FILTER + "_bucket", "le", le);
            cumulative.put(bound, a.value() - b);
        }
        double total = cumulative.lastEntry().getValue();
        double rank = total / 2;
        double lower = 0;
        double below = 0;
        for (Map.Entry<Double, Double> e : cumulative.entrySet()) {
            if (e.getValue() >= rank) {
                if (e.getKey().isInfinite()) {
                    return lower;
                }
                double inBucket = e.getValue() - below;
                return lower + (e.getKey() - lower) * (inBucket == 0 ? 0 : (rank - below) / inBucket);
            }
            lower = e.getKey();
            below = e.getValue();
        }
        return Double.NaN;
    }
}
