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

    /** Agent fork minus plain fork, round by round (both lists in round order). */
    public static List<Double> perRound(List<Double> plain, List<Double> agent) {
        List<Double> out = new ArrayList<>();
        for (int r = 0; r < Math.min(plain.size(), agent.size()); r++) {
            out.add(agent.get(r) - plain.get(r));
        }
        return out;
    }

    /**
     * A paired sign test over alternating rounds: true when every round's difference (agent minus
     * plain) has the same sign, which chance alone gives with probability 2^(1-rounds). False with
     * fewer than 2 rounds (one pair says nothing about the noise) or any zero difference.
     */
    public static boolean signsAgree(List<Double> plain, List<Double> agent) {
        List<Double> d = perRound(plain, agent);
        if (d.size() < 2) {
            return false;
        }
        Stats s = new Stats(d);
        return s.min() > 0 || s.max() < 0;
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
