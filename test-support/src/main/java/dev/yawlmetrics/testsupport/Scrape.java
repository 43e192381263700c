package dev.yawlmetrics.testsupport;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A parsed Prometheus text-format (0.0.4) scrape. Small on purpose: samples with labels, TYPE
 * lines, and lookups that fail loudly with the whole scrape when a series is missing.
 */
public final class Scrape {
    public record Sample(String name, Map<String, String> labels, double value) {}

    private final String text;
    private final List<Sample> samples;
    private final Map<String, String> types;

    private Scrape(String text, List<Sample> samples, Map<String, String> types) {
        this.text = text;
        this.samples = samples;
        this.types = types;
    }

    public static Scrape parse(String text) {
        List<Sample> samples = new ArrayList<>();
        Map<String, String> types = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            if (line.startsWith("# TYPE ")) {
                String[] p = line.split(" ");
                types.put(p[2], p[3]);
                continue;
            }
            if (line.startsWith("#")) {
                continue;
            }
            samples.add(parseSample(line));
        }
        return new Scrape(text, Collections.unmodifiableList(samples), types);
    }

    static Sample parseSample(String line) {
        int brace = line.indexOf('{');
        int space;
        String name;
        Map<String, String> labels = new TreeMap<>();
        if (brace >= 0 && brace < line.indexOf(' ')) {
            name = line.substring(0, brace);
            int i = brace + 1;
            while (line.charAt(i) != '}') {
                int eq = line.indexOf('=', i);
                String key = line.substring(i, eq).trim();
                StringBuilder value = new StringBuilder();
                int j = eq + 2; // skip ="
                while (line.charAt(j) != '"') {
                    char c = line.charAt(j);
                    if (c == '\\') {
                        char n = line.charAt(++j);
                        value.append(n == 'n' ? '\n' : n);
                    } else {
                        value.append(c);
                    }
                    j++;
                }
                labels.put(key, value.toString());
                i = j + 1;
                if (line.charAt(i) == ',') {
                    i++;
                }
            }
            space = line.indexOf(' ', i);
        } else {
            space = line.indexOf(' ');
            name = line.substring(0, space);
        }
        String rest = line.substring(space + 1).trim();
        String valueText = rest.split(" ")[0];
        double value = switch (valueText) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(valueText);
        };
        return new Sample(name, labels, value);
    }

    public String text() { return text; }

    public List<Sample> samples() { return samples; }

    public Map<String, String> types() { return types; }

    /** Samples of this exact name whose labels include all the given pairs ("k", "v", ...). */
    public List<Sample> find(String name, String... labelPairs) {
        List<Sample> out = new ArrayList<>();
        for (Sample s : samples) {
            if (s.name.equals(name) && matches(s.labels, labelPairs)) {
                out.add(s);
            }
        }
        return out;
    }

    public boolean has(String name, String... labelPairs) {
        return !find(name, labelPairs).isEmpty();
    }

    /** The value of the only matching sample; fails when there is none or more than one. */
    public double value(String name, String... labelPairs) {
        List<Sample> found = find(name, labelPairs);
        if (found.size() != 1) {
            throw new AssertionError("expected exactly one sample " + name + " " + List.of(labelPairs) + ", found "
                    + found.size() + " in scrape:\n" + text);
        }
        return found.get(0).value;
    }

    /** Sum over all matching samples; 0 when none. */
    public double sum(String name, String... labelPairs) {
        double total = 0;
        for (Sample s : find(name, labelPairs)) {
            total += s.value;
        }
        return total;
    }

    /** Number of distinct series (samples) in the scrape. */
    public int seriesCount() {
        return samples.size();
    }

    private static boolean matches(Map<String, String> labels, String... pairs) {
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            if (!pairs[i + 1].equals(labels.get(pairs[i]))) {
                return false;
            }
        }
        return true;
    }
}
