package dev.yawlmetrics.demo;

import dev.yawlmetrics.testsupport.Scrape;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Turns two scrapes of the agent's endpoint into the one-line status the console prints. */
final class Progress {
    private Progress() {}

    static String line(long elapsedSeconds, Scrape previous, Scrape current, double seconds, String alerts) {
        double live = 0;
        for (Scrape.Sample s : current.find("yawl_agent_live")) {
            String state = s.labels().get("state");
            if (!"STOPPED".equals(state) && !"FAILED".equals(state)) {
                live += s.value();
            }
        }
        double renewals = delta(previous, current, "yawl_heartbeat_renewal_success_total");
        double ok = delta(previous, current, "yawl_heartbeat_renewal_success_total", "outcome", "success");
        double p95 = quantile(0.95, previous, current, "yawl_marketplace_query_latency_ms_bucket");
        double backoff = current.sum("yawl_discovery_agents_in_backoff");
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "[t=%4ds] live agents %,.0f | renewals %,.0f/s, success %s | marketplace p95 %s | in backoff %,.0f",
                elapsedSeconds, live, renewals / seconds, renewals == 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * ok / renewals),
                Double.isNaN(p95) ? "-" : String.format(Locale.ROOT, "%.2f ms", p95), backoff));
        if (alerts != null) {
            sb.append(" | alerts firing: ").append(alerts.isEmpty() ? "none" : alerts);
        }
        return sb.toString();
    }

    static double delta(Scrape previous, Scrape current, String name, String... labels) {
        return current.sum(name, labels) - (previous == null ? 0 : previous.sum(name, labels));
    }

    /** histogram_quantile over the increase between two scrapes, summed over all label sets. */
    static double quantile(double q, Scrape previous, Scrape current, String bucketName) {
        Map<Double, Double> byLe = new TreeMap<>();
        for (Scrape.Sample s : current.find(bucketName)) {
            double le = Double.parseDouble(s.labels().get("le").replace("+Inf", "Infinity"));
            byLe.merge(le, s.value(), Double::sum);
        }
        if (previous != null) {
            for (Scrape.Sample s : previous.find(bucketName)) {
                double le = Double.parseDouble(s.labels().get("le").replace("+Inf", "Infinity"));
                byLe.merge(le, -s.value(), Double::sum);
            }
        }
        double total = byLe.getOrDefault(Double.POSITIVE_INFINITY, 0.0);
        if (total <= 0) {
            return Double.NaN;
        }
        double rank = q * total;
        double prevLe = 0;
        double prevCount = 0;
        for (Map.Entry<Double, Double> e : byLe.entrySet()) {
            if (e.getValue() >= rank) {
                if (e.getKey().isInfinite()) {
                    return prevLe;
                }
                double inBucket = e.getValue() - prevCount;
                return inBucket <= 0 ? e.getKey() : prevLe + (e.getKey() - prevLe) * (rank - prevCount) / inBucket;
            }
            prevLe = e.getKey();
            prevCount = e.getValue();
        }
        return prevLe;
    }
}
