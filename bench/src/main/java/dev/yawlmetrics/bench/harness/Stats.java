package dev.yawlmetrics.bench.harness;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Median, min, max and percentiles of a small sample; no interpolation surprises. */
public final class Stats {
    private final List<Double> sorted;

    public Stats(List<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no values");
        }
        sorted = new ArrayList<>(values);
        Collections.sort(sorted);
    }

    public int n() { return sorted.size(); }

    public double min() { return sorted.get(0); }

    public double max() { return sorted.get(sorted.size() - 1); }

    /** Median; the mean of the two middle values for an even count. */
    public double median() {
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** Nearest-rank percentile, p in (0, 100]. */
    public double percentile(double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    /** "median [min-max]" with the given format for each number. */
    public String summary(String format) {
        return String.format(Locale.ROOT, format + " [" + format + "–" + format + "]", median(), min(), max());
    }

    public static String fmt(String format, double v) {
        return String.format(Locale.ROOT, format, v);
    }
}
