package dev.yawlmetrics.bench.percall;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * Base of every per-call benchmark. The same benchmark runs in forks without and with
 * {@code -javaagent} (see {@link dev.yawlmetrics.bench.Overhead}); at the end of each agent fork
 * this checks, on the agent's own endpoint, that the measured calls were really recorded, so an
 * instrumentation that silently failed to apply can never pass as "zero overhead".
 *
 * <p>A new target is one subclass: {@code @Setup} building its fixture, one {@code @Benchmark}
 * method per instrumented call, and {@link #recordedSeries()} naming a series that must be non-zero.
 */
@State(Scope.Thread)
public abstract class InstrumentedCall {

    /** A sample line prefix (name and labels, exactly as exported) whose value must be > 0 with the agent. */
    protected abstract String recordedSeries(String benchmarkMethod);

    @TearDown(Level.Trial)
    public void verifyRecorded(org.openjdk.jmh.infra.BenchmarkParams params) throws Exception {
        int port = dev.yawlmetrics.bench.fleet.AgentPort.awaitBound(10_000);
        if (port == 0) {
            return; // plain fork
        }
        String method = params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1);
        String series = recordedSeries(method);
        String body = agentMetrics(port);
        if (sample(body, series) > 0) {
            System.out.println("[bench] agent recorded " + series + " " + sample(body, series));
            return;
        }
        throw new IllegalStateException("agent attached but " + series + " was not recorded; /metrics was:\n" + body);
    }

    /** The agent's exposition, read with HttpURLConnection (never through an instrumented client). */
    protected static String agentMetrics(int port) throws java.io.IOException {
        try (var in = URI.create("http://127.0.0.1:" + port + "/metrics").toURL().openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The value of the sample line {@code series} (name and labels exactly as exported), or NaN if absent. */
    protected static double sample(String body, String series) {
        for (String line : body.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        return Double.NaN;
    }
}
