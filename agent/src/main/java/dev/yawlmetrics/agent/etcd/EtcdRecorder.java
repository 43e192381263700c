package dev.yawlmetrics.agent.etcd;

import dev.yawlmetrics.agent.targets.EtcdOutcome;
import dev.yawlmetrics.agent.metrics.MetricsAgentHealth;
import dev.yawlmetrics.agent.config.InstrumentationName;
import dev.yawlmetrics.agent.metrics.Meters;

/**
 * What the advice inlined into EtcdAgentRegistryClient calls. Public and static because that code
 * runs inside the engine's class; nothing here throws.
 *
 * <p>publishToEtcd has two call sites (register, on the caller's thread, and the heartbeat lambda,
 * on a heartbeat thread). The advice on the lambda marks its thread for the duration of the
 * renewal, so a put is classified as {@code heartbeat} exactly when it runs inside the lambda.
 */
public final class EtcdRecorder {
    private EtcdRecorder() {}

    /** Per-thread nesting depth of the heartbeat lambda (a one-element array: no set() per call). */
    private static final ThreadLocal<int[]> IN_RENEWAL = ThreadLocal.withInitial(() -> new int[1]);

    /** Bound by the module's install step, built on first use, unbound at detach (null then: nothing is recorded). */
    static final Meters<EtcdMetrics> METRICS = Meters.of(context -> new EtcdMetrics(context.registry()));

    static void init() {
        METRICS.get();
    }

    public static void renewalEntered() {
        try {
            IN_RENEWAL.get()[0]++;
        } catch (Throwable t) {
            MetricsAgentHealth.recordingError(InstrumentationName.ETCD, t);
        }
    }

    public static void renewalExited() {
        try {
            int[] depth = IN_RENEWAL.get();
            if (depth[0] > 0) {
                depth[0]--;
            }
        } catch (Throwable t) {
            MetricsAgentHealth.recordingError(InstrumentationName.ETCD, t);
        }
    }

    public static void publishFinished(long startNanos, Throwable thrown) {
        long elapsed = System.nanoTime() - startNanos;
        try {
            EtcdQueryType type = IN_RENEWAL.get()[0] > 0 ? EtcdQueryType.HEARTBEAT : EtcdQueryType.PUBLISH;
            EtcdMetrics m = METRICS.get();
            if (m != null) {
                m.record(type, EtcdOutcome.of(thrown), elapsed);
            }
        } catch (Throwable t) {
            MetricsAgentHealth.recordingError(InstrumentationName.ETCD, t);
        }
    }

    public static void deleteFinished(long startNanos, Throwable thrown) {
        finished(EtcdQueryType.UNPUBLISH, startNanos, thrown);
    }

    public static void fetchFinished(long startNanos, Throwable thrown) {
        finished(EtcdQueryType.DISCOVERY, startNanos, thrown);
    }

    private static void finished(EtcdQueryType type, long startNanos, Throwable thrown) {
        long elapsed = System.nanoTime() - startNanos;
        try {
            EtcdMetrics m = METRICS.get();
            if (m != null) {
                m.record(type, EtcdOutcome.of(thrown), elapsed);
            }
        } catch (Throwable t) {
            MetricsAgentHealth.recordingError(InstrumentationName.ETCD, t);
        }
    }
}
