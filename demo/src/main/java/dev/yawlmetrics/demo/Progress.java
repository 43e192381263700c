package dev.yawlmetrics.demo;

import dev.yawlmetrics.testsupport.Scrape;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns two scrapes of the agent's endpoint, at least one renewal period apart, into one
 * {@link Tick} (what the console line and the HTML report show). A shorter window would see the
 * renewal waves (each agent renews once per period) instead of the rate.
 */
final class Progress {
    private Progress() {}

    /**
     * One point of the run.
     *
     * @param completedPerSec renewals run by the executor per second over the window
     * @param offeredPerSec   renewals the fleet needs per second: scheduled heartbeats / period
     * @param successRatio    successful / all renewals over the window (NaN: none)
     * @param liveByState     GenericPartyAgents by lifecycle state, now
     * @param backoffByLevel  running agents by discovery backoff level, now
     */
    record Tick(long second, double completedPerSec, double offeredPerSec, double scheduled, double latenessP50,
                double latenessP95, double latenessP99, double successRatio, double failuresPerSec,
                Map<String, Double> liveByState, Map<String, Double> backoffByLevel, double inBackoff,
                List<String> pending, List<String> firing) {

        /** completed ÷ offered: 1 = the executor keeps up, 0.4 = it runs 40 % of what the fleet needs. */
        double executorUse() {
            return offeredPerSec <= 0 ? Double.NaN : completedPerSec / offeredPerSec;
        }

        double partyAgentsLive() {
            double live = 0;
            for (Map.Entry<String, Double> e : liveByState.entrySet()) {
                if (!"STOPPED".equals(e.getKey()) && !"FAILED".equals(e.getKey())) {
                    live += e.getValue();
                }
            }
            return live;
        }
    }

    static Tick tick(long second, Scrape window, Scrape current, double seconds, double periodSeconds,
                     List<String> pending, List<String> firing) {
        double completed = delta(window, current, "yawl_heartbeat_executor_task_count_total") / seconds;
        double scheduled = current.sum("yawl_heartbeat_executor_queue_depth") + current.sum("yawl_heartbeat_executor_active_threads");
        double renewals = delta(window, current, "yawl_heartbeat_renewal_success_total");
        double ok = delta(window, current, "yawl_heartbeat_renewal_success_total", "outcome", "success");
        String lateness = "yawl_heartbeat_renewal_lateness_ms_bucket";
        return new Tick(second, completed, scheduled / periodSeconds, scheduled,
                quantile(0.5, window, current, lateness), quantile(0.95, window, current, lateness), quantile(0.99, window, current, lateness),
                renewals <= 0 ? Double.NaN : ok / renewals, (renewals - ok) / seconds,
                byLabel(current, "yawl_agent_live", "state"), byLabel(current, "yawl_agent_backoff_level_agents", "level"),
                current.sum("yawl_discovery_agents_in_backoff"), List.copyOf(pending), List.copyOf(firing));
    }

    /** The console line; {@code alerts} false when no Prometheus evaluates the rules. */
    static String line(Tick t, int partyAgentsStarted, boolean alerts) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "[t=%4ds] renewals %,.0f/s of %,.0f/s needed (executor use %s) | late p50 %s p99 %s | success %s",
                t.second(), t.completedPerSec(), t.offeredPerSec(), percent(t.executorUse(), 0),
                ms(t.latenessP50()), ms(t.latenessP99()), percent(t.successRatio(), 1)));
        sb.append(String.format(Locale.ROOT, " | %,.0f registered, %,.0f of %,d party agents running, %,.0f backing off",
                t.scheduled(), t.partyAgentsLive(), partyAgentsStarted, t.inBackoff()));
        if (alerts) {
            sb.append(" | alerts firing: ").append(t.firing().isEmpty() ? "none" : String.join(", ", t.firing()));
            sb.append("; pending: ").append(t.pending().isEmpty() ? "none" : String.join(", ", t.pending()));
        }
        return sb.toString();
    }

    static String percent(double ratio, int decimals) {
        return Double.isNaN(ratio) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f%%", 100 * ratio);
    }

    static String ms(double millis) {
        if (Double.isNaN(millis)) {
            return "-";
        }
        return millis >= 10_000 ? String.format(Locale.ROOT, "%.0f s", millis / 1000)
                : millis >= 1000 ? String.format(Locale.ROOT, "%.1f s", millis / 1000)
                : String.format(Locale.ROOT, "%.0f ms", millis);
    }

    static Map<String, Double> byLabel(Scrape s, String name, String label) {
        Map<String, Double> out = new TreeMap<>();
        for (Scrape.Sample sample : s.find(name)) {
            String v = sample.labels().get(label);
            if (v != null) {
                out.merge(v, sample.value(), Double::sum);
            }
        }
        return out;
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
