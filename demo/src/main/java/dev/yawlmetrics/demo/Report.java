package dev.yawlmetrics.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * The demo's picture: one self-contained HTML file (inline SVG drawn here, no script or font
 * from the network) with the run's charts, so it opens anywhere, also without Prometheus.
 */
final class Report {
    static final int CHARTS = 6;
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#17becf"};
    private static final int W = 900;
    private static final int H = 240;
    private static final int LEFT = 70;
    private static final int RIGHT = 170;
    private static final int TOP = 20;
    private static final int BOTTOM = 30;

    private Report() {}

    record Series(String name, double[] values) {}

    static Path write(Path file, String title, List<String> facts, List<Progress.Tick> ticks) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, html(title, facts, ticks), StandardCharsets.UTF_8);
        return file;
    }

    static String html(String title, List<String> facts, List<Progress.Tick> ticks) {
        double[] t = ticks.stream().mapToDouble(Progress.Tick::second).toArray();
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(title)).append("</title>\n")
          .append("<style>body{font-family:sans-serif;margin:24px;color:#222}h1{font-size:20px}h2{font-size:16px;margin:24px 0 4px}")
          .append("p.q{margin:0 0 6px;color:#555;font-size:13px}svg{background:#fafafa;border:1px solid #ddd}")
          .append("text{font-size:11px;fill:#333}ul{font-size:13px}</style></head><body>\n");
        sb.append("<h1>").append(esc(title)).append("</h1>\n<ul>");
        for (String f : facts) {
            sb.append("<li>").append(esc(f)).append("</li>");
        }
        sb.append("</ul>\n");
        chart(sb, "Renewals per second: completed vs needed", "Does the heartbeat executor run every renewal the fleet needs (needed = scheduled heartbeats / period)?",
                "/s", Double.NaN, t, List.of(series("completed", ticks, Progress.Tick::completedPerSec), series("needed", ticks, Progress.Tick::offeredPerSec)));
        chart(sb, "Renewal lateness (p50, p95, p99)", "How late do renewals start against their schedule? Half the 30 s lease TTL (15 s) is the HeartbeatRenewalLate line.",
                "ms", 15_000, t, List.of(series("p50", ticks, Progress.Tick::latenessP50), series("p95", ticks, Progress.Tick::latenessP95),
                        series("p99", ticks, Progress.Tick::latenessP99)));
        chart(sb, "Renewal success rate", "Share of renewals whose etcd put succeeded (over one renewal period).",
                "%", Double.NaN, t, List.of(series("success", ticks, k -> 100 * k.successRatio())));
        chart(sb, "Live party agents by state", "GenericPartyAgents (the ones running discovery loops) by lifecycle state.",
                "", Double.NaN, t, keyed(ticks, Progress.Tick::liveByState, ""));
        chart(sb, "Agents by discovery backoff level", "Running agents at each backoff level (0 = polling at the base interval, 8 = at the cap).",
                "", Double.NaN, t, keyed(ticks, Progress.Tick::backoffByLevel, "level "));
        alerts(sb, ticks);
        sb.append("<script>\n// Lets a headless browser check that every chart has drawn geometry.\n")
          .append("var n=0;document.querySelectorAll('svg.chart').forEach(function(s){var b=s.querySelector('.data');")
          .append("if(b&&b.getBBox().width>0)n++;});document.body.setAttribute('data-charts-rendered',String(n));\n</script>\n");
        sb.append("</body></html>\n");
        return sb.toString();
    }

    private static Series series(String name, List<Progress.Tick> ticks, ToDoubleFunction<Progress.Tick> f) {
        return new Series(name, ticks.stream().mapToDouble(f).toArray());
    }

    private static List<Series> keyed(List<Progress.Tick> ticks, java.util.function.Function<Progress.Tick, Map<String, Double>> f, String prefix) {
        Set<String> keys = new LinkedHashSet<>();
        ticks.forEach(k -> keys.addAll(f.apply(k).keySet()));
        List<Series> out = new ArrayList<>();
        for (String key : keys) {
            out.add(new Series(prefix + key, ticks.stream().mapToDouble(k -> f.apply(k).getOrDefault(key, 0.0)).toArray()));
        }
        return out;
    }

    /** A line chart; {@code line} is a dashed threshold (NaN: none). */
    private static void chart(StringBuilder sb, String title, String question, String unit, double line, double[] t, List<Series> series) {
        double tMax = t.length == 0 ? 1 : Math.max(1, t[t.length - 1]);
        double yMax = 0;
        for (Series s : series) {
            for (double v : s.values()) {
                if (!Double.isNaN(v) && !Double.isInfinite(v)) {
                    yMax = Math.max(yMax, v);
                }
            }
        }
        yMax = yMax <= 0 ? 1 : unit.equals("%") ? Math.max(100, yMax) : yMax * 1.1;
        if (!Double.isNaN(line)) {
            yMax = Math.max(yMax, line * 1.1);
        }
        sb.append("<h2>").append(esc(title)).append("</h2><p class=\"q\">").append(esc(question)).append("</p>\n");
        sb.append("<svg class=\"chart\" width=\"").append(W).append("\" height=\"").append(H).append("\" viewBox=\"0 0 ").append(W).append(' ').append(H)
          .append("\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"").append(esc(title)).append("\">\n");
        axes(sb, tMax, yMax, unit);
        if (!Double.isNaN(line)) {
            sb.append("<line x1=\"").append(LEFT).append("\" x2=\"").append(W - RIGHT).append("\" y1=\"").append(fmt(y(line, yMax)))
              .append("\" y2=\"").append(fmt(y(line, yMax))).append("\" stroke=\"#d62728\" stroke-dasharray=\"6 4\"/>")
              .append("<text x=\"").append(W - RIGHT - 4).append("\" y=\"").append(fmt(y(line, yMax) - 4)).append("\" text-anchor=\"end\">")
              .append(esc(number(line) + " " + unit)).append("</text>\n");
        }
        StringBuilder legend = new StringBuilder();
        sb.append("<g class=\"data\">\n");
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            String colour = COLOURS[i % COLOURS.length];
            StringBuilder pts = new StringBuilder();
            for (int j = 0; j < s.values().length && j < t.length; j++) {
                double v = s.values()[j];
                if (Double.isNaN(v) || Double.isInfinite(v)) {
                    continue;
                }
                pts.append(fmt(x(t[j], tMax))).append(',').append(fmt(y(v, yMax))).append(' ');
            }
            sb.append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"").append(colour).append("\" points=\"").append(pts.toString().trim()).append("\"/>\n");
            int ly = TOP + 14 + 16 * i;
            legend.append("<line x1=\"").append(W - RIGHT + 12).append("\" x2=\"").append(W - RIGHT + 30).append("\" y1=\"").append(ly - 4)
              .append("\" y2=\"").append(ly - 4).append("\" stroke=\"").append(colour).append("\" stroke-width=\"3\"/>")
              .append("<text x=\"").append(W - RIGHT + 36).append("\" y=\"").append(ly).append("\">").append(esc(s.name())).append("</text>\n");
        }
        sb.append("</g>\n").append(legend).append("</svg>\n");
    }

    private static void axes(StringBuilder sb, double tMax, double yMax, String unit) {
        int x0 = LEFT;
        int x1 = W - RIGHT;
        int y0 = H - BOTTOM;
        sb.append("<line x1=\"").append(x0).append("\" y1=\"").append(TOP).append("\" x2=\"").append(x0).append("\" y2=\"").append(y0).append("\" stroke=\"#999\"/>")
          .append("<line x1=\"").append(x0).append("\" y1=\"").append(y0).append("\" x2=\"").append(x1).append("\" y2=\"").append(y0).append("\" stroke=\"#999\"/>\n");
        for (int i = 0; i <= 4; i++) {
            double v = yMax * i / 4;
            double yy = y(v, yMax);
            sb.append("<line x1=\"").append(x0).append("\" x2=\"").append(x1).append("\" y1=\"").append(fmt(yy)).append("\" y2=\"").append(fmt(yy))
              .append("\" stroke=\"#eee\"/><text x=\"").append(x0 - 6).append("\" y=\"").append(fmt(yy + 4)).append("\" text-anchor=\"end\">")
              .append(esc(number(v) + (unit.isEmpty() ? "" : " " + unit))).append("</text>\n");
            double tt = tMax * i / 4;
            sb.append("<text x=\"").append(fmt(x(tt, tMax))).append("\" y=\"").append(y0 + 16).append("\" text-anchor=\"middle\">")
              .append(Math.round(tt)).append(" s</text>\n");
        }
    }

    /** One row per alert that was ever pending or firing; amber while pending, red while firing. */
    private static void alerts(StringBuilder sb, List<Progress.Tick> ticks) {
        Map<String, Integer> rows = new LinkedHashMap<>();
        for (Progress.Tick k : ticks) {
            k.pending().forEach(a -> rows.putIfAbsent(a, rows.size()));
            k.firing().forEach(a -> rows.putIfAbsent(a, rows.size()));
        }
        double tMax = ticks.isEmpty() ? 1 : Math.max(1, ticks.get(ticks.size() - 1).second());
        int h = TOP + BOTTOM + 22 * Math.max(1, rows.size());
        sb.append("<h2>Alerts: pending and firing</h2><p class=\"q\">Which of the shipped alerts were pending (amber) or firing (red), and when."
                + " A pending alert fires once its condition has held for the rule's <code>for:</code>.</p>\n");
        sb.append("<svg class=\"chart\" width=\"").append(W).append("\" height=\"").append(h).append("\" viewBox=\"0 0 ").append(W).append(' ').append(h)
          .append("\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"alerts timeline\">\n");
        int x0 = 230;
        sb.append("<line x1=\"").append(x0).append("\" x2=\"").append(W - 20).append("\" y1=\"").append(h - BOTTOM).append("\" y2=\"").append(h - BOTTOM)
          .append("\" stroke=\"#999\"/>\n");
        sb.append("<g class=\"data\">\n");
        if (rows.isEmpty()) {
            sb.append("<text x=\"").append(x0).append("\" y=\"").append(TOP + 14).append("\">no alert was pending or firing during the run</text>\n");
        }
        for (Map.Entry<String, Integer> r : rows.entrySet()) {
            int yy = TOP + 22 * r.getValue();
            sb.append("<text x=\"").append(x0 - 8).append("\" y=\"").append(yy + 13).append("\" text-anchor=\"end\">").append(esc(r.getKey())).append("</text>\n");
            for (int i = 0; i < ticks.size(); i++) {
                Progress.Tick k = ticks.get(i);
                String colour = k.firing().contains(r.getKey()) ? "#d62728" : k.pending().contains(r.getKey()) ? "#ffb000" : null;
                if (colour == null) {
                    continue;
                }
                double from = i == 0 ? 0 : ticks.get(i - 1).second();
                double xa = x0 + (W - 20 - x0) * from / tMax;
                double xb = x0 + (W - 20 - x0) * k.second() / tMax;
                sb.append("<rect x=\"").append(fmt(xa)).append("\" y=\"").append(yy).append("\" width=\"").append(fmt(Math.max(1, xb - xa)))
                  .append("\" height=\"16\" fill=\"").append(colour).append("\"><title>").append(esc(r.getKey())).append(' ')
                  .append(colour.equals("#d62728") ? "firing" : "pending").append(" at ").append(k.second()).append(" s</title></rect>\n");
            }
        }
        for (int i = 0; i <= 4; i++) {
            double tt = tMax * i / 4;
            sb.append("<text x=\"").append(fmt(x0 + (W - 20 - x0) * tt / tMax)).append("\" y=\"").append(h - BOTTOM + 16)
              .append("\" text-anchor=\"middle\">").append(Math.round(tt)).append(" s</text>\n");
        }
        sb.append("</g></svg>\n");
    }

    private static double x(double t, double tMax) {
        return LEFT + (W - LEFT - RIGHT) * t / tMax;
    }

    private static double y(double v, double yMax) {
        return H - BOTTOM - (H - TOP - BOTTOM) * v / yMax;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String number(double v) {
        return v >= 10_000 ? String.format(Locale.ROOT, "%,.0f", v) : v >= 10 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
