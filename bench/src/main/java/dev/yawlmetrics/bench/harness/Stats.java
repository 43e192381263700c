package dev.yawlmetrics.bench.harness;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Median, min, max and percentiles of a small sample; no interpolation surprises. */
public final class Stats {
    /** Coverage asked of a median's interval and so of the sign test (9 rounds give 96.1 %, 5 at most 93.8 %). */
    public static final double CONFIDENCE = 0.95;

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

    /**
     * A distribution-free interval for the median (the sign test inverted): the narrowest
     * [x(k), x(n+1-k)] of the sorted values whose coverage, 1 - 2 P(Bin(n, 1/2) < k), is at least
     * {@code confidence}; with too few values for that, [min, max] and its lower coverage. It makes
     * no assumption about the noise's shape, which on a shared 2-core machine is lopsided (a slow
     * fork is much slower; a fast one only a little faster).
     */
    public Interval medianInterval(double confidence) {
        int n = sorted.size();
        int best = 1;
        for (int k = 2; k <= (n + 1) / 2; k++) {
            if (coverage(n, k) < confidence) {
                break;
            }
            best = k;
        }
        return new Interval(sorted.get(best - 1), sorted.get(n - best), coverage(n, best));
    }

    /** Probability that [x(k), x(n+1-k)] of n values holds their population median. */
    static double coverage(int n, int k) {
        double below = 0;
        double term = Math.pow(0.5, n); // P(Bin = 0)
        for (int i = 0; i < k; i++) {
            below += term;
            term = term * (n - i) / (i + 1);
        }
        return Math.max(0, 1 - 2 * below);
    }

    /** An interval and the probability that it holds the median. */
    public record Interval(double lo, double hi, double coverage) {
        /** "[lo–hi] (coverage c %)" with the given format for the two bounds. */
        public String describe(String format) {
            return String.format(Locale.ROOT, "[" + format + "–" + format + "] (coverage %.1f %%)", lo, hi, 100 * coverage);
        }
    }

    /** "median [min-max]" with the given format for each number. */
    public String summary(String format) {
        return String.format(Locale.ROOT, format + " [" + format + "–" + format + "]", median(), min(), max());
    }

    public static String fmt(String format, double v) {
        return String.format(Locale.ROOT, format, v);
    }

    /** Agent fork minus plain fork, round by round (both lists in round order). */
    public static List<Double> perRound(List<Double> plain, List<Double> agent) {
        List<Double> out = new ArrayList<>();
        for (int r = 0; r < Math.min(plain.size(), agent.size()); r++) {
            out.add(agent.get(r) - plain.get(r));
        }
        return out;
    }

    /**
     * The paired sign test at a coverage: true when the interval of the per-round differences'
     * median ({@link #medianInterval}) lies wholly on one side of 0, i.e. at least n+1-k of n rounds
     * agree on the sign. Up to 5 rounds that interval is [min, max], so every round must agree (by
     * chance alone 2^(1-rounds)); with more rounds one or two dissenting rounds no longer veto a
     * difference. False with fewer than 2 rounds (one pair says nothing about the noise) and on a
     * tie. The same count decides for the rounds' ratios against 1. The one sign test of every step.
     */
    public static boolean signTestResolves(List<Double> plain, List<Double> agent, double confidence) {
        List<Double> d = perRound(plain, agent);
        if (d.size() < 2) {
            return false;
        }
        Interval i = new Stats(d).medianInterval(confidence);
        return i.lo() > 0 || i.hi() < 0;
    }

    /** Agent fork divided by plain fork, round by round. */
    public static List<Double> ratios(List<Double> plain, List<Double> agent) {
        List<Double> out = new ArrayList<>();
        for (int r = 0; r < Math.min(plain.size(), agent.size()); r++) {
            out.add(agent.get(r) / plain.get(r));
        }
        return out;
    }
}
