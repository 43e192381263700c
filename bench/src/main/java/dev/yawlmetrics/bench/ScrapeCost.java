package dev.yawlmetrics.bench;

import dev.yawlmetrics.bench.fleet.Populations;
import dev.yawlmetrics.bench.harness.Forks;
import dev.yawlmetrics.bench.harness.HostProcess;
import dev.yawlmetrics.bench.harness.Stats;
import dev.yawlmetrics.bench.harness.Variant;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * /metrics cost with every instrumentation on, at several fleet sizes in one JVM: latency median
 * and p99 of sequential uncompressed scrapes, body bytes and sample count. Our agent's sample
 * count must be identical at every size (bounded labels): a difference fails the run.
 *
 * <p>Usage: {@code java -Dbench.agent.jar=.. [-Dbench.otel.jar=.. -Dbench.jmx.jar=.. -Dbench.jmx.config=..]
 * -cp benchmarks.jar dev.yawlmetrics.bench.ScrapeCost [--smoke] [--sizes 1000,10000,100000] [--scrapes N] [--variants yawl,otel,jmx] [--out f.md]}
 */
public final class ScrapeCost {
    record Row(Variant variant, int size, Stats latencyMs, int bytes, int samples) {}

    public static void main(String[] args) throws Exception {
        boolean smoke = Forks.smoke(args);
        String[] sizes = Forks.option(args, "--sizes", smoke ? "10,100" : "1000,10000,100000").split(",");
        int scrapes = Integer.parseInt(Forks.option(args, "--scrapes", smoke ? "20" : "500"));
        int warmup = Math.max(5, scrapes / 5);
        List<Variant> requested = Variant.parse(Forks.option(args, "--variants", smoke ? "yawl" : "yawl,otel,jmx"));
        Path out = Forks.resultsFile(args, "scrape.md");
        List<Row> rows = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        Map<Variant, Map<Integer, List<String>>> keysBySize = new java.util.EnumMap<>(Variant.class);
        for (Variant v : requested) {
            if (!v.available() || !v.hasEndpoint()) {
                skipped.add(v.title + ": " + (v.hasEndpoint() ? v.unavailableReason() : "no endpoint"));
                continue;
            }
            for (String s : sizes) {
                int n = Integer.parseInt(s.trim());
                int port = Forks.freePort();
                List<String> cmd = Forks.hostCommand(v, port, List.of("-Xmx2g", "-XX:+UseParallelGC", Memory.QUIET_RENEWALS), "serve", Integer.toString(n));
                try (HostProcess host = new HostProcess(cmd)) {
                    host.await("READY", 600_000);
                    String url = v.metricsUrl(port);
                    Forks.awaitEndpoint(url, host.process(), 60_000);
                    // Some series appear a moment after READY (an agent's discovery loop reaching
                    // its first transition, a first HTTP response): wait until the set is stable,
                    // so the comparison across sizes sees every series that exists.
                    List<String> keys = stableSeries(url, host);
                    keysBySize.computeIfAbsent(v, x -> new LinkedHashMap<>()).put(n, keys);
                    byte[] body = null;
                    for (int i = 0; i < warmup; i++) {
                        body = Forks.get(url);
                    }
                    List<Double> ms = new ArrayList<>();
                    for (int i = 0; i < scrapes; i++) {
                        long t0 = System.nanoTime();
                        body = Forks.get(url);
                        long t1 = System.nanoTime();
                        if (body == null) {
                            throw new IllegalStateException(v.title + " at " + n + ": scrape failed; host output:\n" + host.output());
                        }
                        ms.add((t1 - t0) / 1e6);
                    }
                    keysBySize.get(v).put(n, Forks.seriesKeys(body));
                    Row row = new Row(v, n, new Stats(ms), body.length, Forks.seriesCount(body));
                    System.out.printf("[scrape] %-32s agents=%-7d median %.2f ms p99 %.2f ms bytes %d samples %d%n",
                            v.title, n, row.latencyMs.median(), row.latencyMs.percentile(99), row.bytes, row.samples);
                    rows.add(row);
                }
            }
            // GC pause series appear with the JVM's first collection of each kind (bounded by the
            // collector's actions and causes, not by agents): a bigger fleet allocates more and
            // collects sooner, so they are left out of the size comparison.
            Map<Integer, Integer> samplesBySize = comparableCounts(keysBySize.getOrDefault(v, Map.of()));
            if (v == Variant.YAWL && samplesBySize.values().stream().distinct().count() > 1) {
                failures.add("our agent's sample count depends on the fleet size: " + samplesBySize
                        + "; series that differ: " + difference(keysBySize.get(v)));
            }
        }
        String report = report(rows, scrapes, warmup, skipped, failures);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, report);
        System.out.println(report);
        if (!failures.isEmpty()) {
            System.err.println("[scrape] FAILED: " + failures);
            System.exit(1);
        }
    }

    static String report(List<Row> rows, int scrapes, int warmup, List<String> skipped, List<String> failures) {
        StringBuilder sb = new StringBuilder("## 3. Scrape cost: /metrics with every instrumentation on\n\n");
        sb.append("Host: `BenchHost serve N` (N agents in every subsystem: ").append(Populations.names())
          .append("; every instrumented call made, so every series exists), `-Xmx2g -XX:+UseParallelGC " + Memory.QUIET_RENEWALS
          + "` (renewals scheduled but not firing: this measures the endpoint, section 4 the renewal load). ")
          .append(warmup).append(" warm-up then ").append(scrapes)
          .append(" sequential GETs from another JVM over loopback on a kept-alive connection (as Prometheus scrapes), "
          + "`Accept-Encoding: identity`, text format; latency = request to last byte; samples = non-comment lines.\n\n");
        sb.append("| variant | agents | median ms | p99 ms | min–max ms | bytes | samples |\n|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            sb.append("| ").append(r.variant.title).append(" | ").append(r.size).append(" | ")
              .append(Stats.fmt("%.2f", r.latencyMs.median())).append(" | ").append(Stats.fmt("%.2f", r.latencyMs.percentile(99)))
              .append(" | ").append(Stats.fmt("%.2f", r.latencyMs.min())).append("–").append(Stats.fmt("%.2f", r.latencyMs.max()))
              .append(" | ").append(r.bytes).append(" | ").append(r.samples).append(" |\n");
        }
        sb.append("\nTarget: our median ≤ 5 ms; our sample count identical at every size (compared without the JVM's"
                + " `jvm_gc_pause_*` / `jvm_gc_concurrent_phase_time_*` series, which appear with the first collection of each"
                + " kind: bounded by the collector, not by agents).\n");
        for (String s : skipped) {
            sb.append("- not run: ").append(s).append("\n");
        }
        for (String f : failures) {
            sb.append("- **FAILED**: ").append(f).append("\n");
        }
        return sb.append("\n").toString();
    }

    /** Per fleet size, the number of series that must not depend on it (GC-event series left out). */
    static Map<Integer, Integer> comparableCounts(Map<Integer, List<String>> keysBySize) {
        Map<Integer, Integer> counts = new LinkedHashMap<>();
        keysBySize.forEach((size, k) -> counts.put(size, (int) k.stream().filter(x -> !isGcEvent(x)).count()));
        return counts;
    }

    static boolean isGcEvent(String seriesKey) {
        return seriesKey.startsWith("jvm_gc_pause") || seriesKey.startsWith("jvm_gc_concurrent_phase_time");
    }

    /** The series list once three scrapes 300 ms apart agree (at most 20 s). */
    static List<String> stableSeries(String url, HostProcess host) throws Exception {
        List<String> last = null;
        int agreeing = 0;
        long deadline = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < deadline) {
            byte[] body = Forks.get(url);
            if (body == null) {
                throw new IllegalStateException("scrape failed; host output:\n" + host.output());
            }
            List<String> keys = Forks.seriesKeys(body);
            agreeing = keys.equals(last) ? agreeing + 1 : 0;
            last = keys;
            if (agreeing >= 2) {
                break;
            }
            Thread.sleep(300);
        }
        return last;
    }

    /** Series present at some sizes but not at others, per size (for a failure message). */
    static String difference(Map<Integer, List<String>> keysBySize) {
        if (keysBySize == null) {
            return "unknown";
        }
        java.util.Set<String> common = null;
        for (List<String> keys : keysBySize.values()) {
            if (common == null) {
                common = new java.util.HashSet<>(keys);
            } else {
                common.retainAll(keys);
            }
        }
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<Integer, List<String>> e : keysBySize.entrySet()) {
            java.util.List<String> extra = new ArrayList<>(e.getValue());
            extra.removeAll(common);
            sb.append(" at ").append(e.getKey()).append(" only: ").append(extra.size() > 20 ? extra.subList(0, 20) + "..." : extra);
        }
        return sb.toString();
    }
}
