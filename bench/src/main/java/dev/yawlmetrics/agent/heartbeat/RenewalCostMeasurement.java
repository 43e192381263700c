package dev.yawlmetrics.agent.heartbeat;

import dev.yawlmetrics.agent.config.MetricsAgentConfig;
import dev.yawlmetrics.agent.etcd.EtcdInstrumentation;
import dev.yawlmetrics.agent.etcd.EtcdRecorder;
import dev.yawlmetrics.agent.instrumentation.InstrumentationOutcomes;
import dev.yawlmetrics.agent.instrumentation.ModuleBindings;
import dev.yawlmetrics.agent.instrumentation.ModuleContext;
import dev.yawlmetrics.agent.metrics.MetricsAgentRegistry;
import dev.yawlmetrics.agent.metrics.Buckets;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Not a test: a simple same-run harness (not JMH) for the agent's added cost per renewal. It runs,
 * interleaved, in batches: the plain renewal (a no-op lambda), the same lambda wrapped in a
 * RenewalTask with exactly the recorder calls the inlined advice makes around publishToEtcd and the
 * lambda, and the floor (two clock reads plus one histogram record). Prints medians in ns/op.
 * Command in docs/instrumentations/heartbeat-etcd.md.
 *
 * <p>In bench/ but in the heartbeat package: it builds a {@link RenewalTask} and calls
 * {@link HeartbeatRecorder#init()} directly, after binding the two modules as the agent's start-up does. Run with the agent jar on the class path (same
 * runtime package); it touches no Micrometer type of the agent's, whose Micrometer is relocated,
 * so the floor's histogram is the same Micrometer type on a registry of its own.
 */
public final class RenewalCostMeasurement {
    static volatile long sink;

    public static void main(String[] args) {
        int batches = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        int perBatch = 200_000;
        // What the agent's start-up does: bind both modules to the agent's registry, then the meters exist.
        ModuleContext context = new ModuleContext(null, MetricsAgentRegistry.attachedRegistry(), MetricsAgentConfig.defaults(),
                InstrumentationOutcomes.NONE);
        new ModuleBindings(List.of(new HeartbeatInstrumentation(), new EtcdInstrumentation()), context).bindAll();
        HeartbeatRecorder.init();
        DistributionSummary floorSummary = DistributionSummary.builder("floor.latency_ms")
                .serviceLevelObjectives(Buckets.LATENCY_MS).register(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        Runnable lambda = () -> sink++;
        // What the advice adds inside the lambda and publishToEtcd (heartbeat + etcd modules).
        Runnable advisedLambda = () -> {
            EtcdRecorder.renewalEntered();
            long start = System.nanoTime();
            sink++;
            HeartbeatRecorder.publishFinished(null);
            EtcdRecorder.publishFinished(start, null);
            EtcdRecorder.renewalExited();
        };
        RenewalTask task = new RenewalTask(advisedLambda, System.nanoTime(), 0, 1, TimeUnit.MICROSECONDS);
        // The two instrumentations separately: heartbeat alone (wrapper + outcome), etcd alone (advice only).
        RenewalTask heartbeatOnly = new RenewalTask(() -> {
            sink++;
            HeartbeatRecorder.publishFinished(null);
        }, System.nanoTime(), 0, 1, TimeUnit.MICROSECONDS);
        Runnable etcdOnly = () -> {
            EtcdRecorder.renewalEntered();
            long start = System.nanoTime();
            sink++;
            EtcdRecorder.publishFinished(start, null);
            EtcdRecorder.renewalExited();
        };
        Runnable floor = () -> {
            long s = System.nanoTime();
            sink++;
            floorSummary.record((System.nanoTime() - s) / 1_000_000.0);
        };
        double[] plain = new double[batches];
        double[] instrumented = new double[batches];
        double[] floorNs = new double[batches];
        double[] hb = new double[batches];
        double[] et = new double[batches];
        for (int warm = 0; warm < 10; warm++) {
            time(lambda, perBatch);
            time(task, perBatch);
            time(floor, perBatch);
        }
        for (int b = 0; b < batches; b++) {
            plain[b] = time(lambda, perBatch);
            instrumented[b] = time(task, perBatch);
            floorNs[b] = time(floor, perBatch);
            hb[b] = time(heartbeatOnly, perBatch);
            et[b] = time(etcdOnly, perBatch);
        }
        double p = median(plain);
        double i = median(instrumented);
        double f = median(floorNs) - p;
        System.out.printf("median ns/op: plain=%.1f instrumented=%.1f added=%.1f floor(2 clock reads + 1 histogram)=%.1f ratio=%.2f%n",
                p, i, i - p, f, (i - p) / f);
        System.out.printf("median added ns/op by instrumentation: heartbeat only=%.1f etcd only=%.1f%n",
                median(hb) - p, median(et) - p);
    }

    static double time(Runnable r, int n) {
        long s = System.nanoTime();
        for (int k = 0; k < n; k++) {
            r.run();
        }
        return (System.nanoTime() - s) / (double) n;
    }

    static double median(double[] values) {
        double[] c = values.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }
}
