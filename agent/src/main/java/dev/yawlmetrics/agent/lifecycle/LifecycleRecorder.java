package dev.yawlmetrics.agent.lifecycle;

import dev.yawlmetrics.agent.targets.TrackedPartyAgent;
import dev.yawlmetrics.agent.metrics.MetricsAgentHealth;
import dev.yawlmetrics.agent.config.InstrumentationName;
import dev.yawlmetrics.agent.metrics.MetricsAgentRegistry;

import java.util.concurrent.atomic.AtomicReference;

/**
 * What the rewritten {@code GenericPartyAgent} calls. Public and static because the calls run
 * inside the engine's class; nothing thrown here reaches engine code except the engine's own
 * behaviour ({@link #set} performs the engine's write itself).
 */
public final class LifecycleRecorder {
    private LifecycleRecorder() {}

    private static final class Holder {
        static final LifecycleMetrics METRICS = new LifecycleMetrics(MetricsAgentRegistry.registry());
    }

    /** Before each RETURN of the constructor. */
    public static void created(Object agent) {
        try {
            if (agent instanceof TrackedPartyAgent) {
                TrackedPartyAgent a = (TrackedPartyAgent) agent;
                AtomicReference<?> ref = a.yawlMetrics$lifecycle();
                Holder.METRICS.created(a, ref == null ? null : ref.get(), System.nanoTime());
            }
        } catch (Throwable t) {
            MetricsAgentHealth.recordingError(InstrumentationName.LIFECYCLE, t);
        }
    }

    /** In the handler around the constructor body; the caller rethrows {@code error} unchanged. */
    public static void constructorFailed(Throwable error) {
        try {
            Holder.METRICS.createFailed();
        } catch (Throwable t) {
            MetricsAgentHealth.recordingError(InstrumentationName.LIFECYCLE, t);
        }
    }

    /** After {@code stop()} completed normally. */
    public static void stopped() {
        try {
            Holder.METRICS.stopped();
        } catch (Throwable t) {
            MetricsAgentHealth.recordingError(InstrumentationName.LIFECYCLE, t);
        }
    }

    /**
     * Replaces {@code ref.set(value)} inside GenericPartyAgent's methods. For the agent's own
     * {@code lifecycle} reference the write is a {@code getAndSet} (the same volatile write, plus
     * the previous state, atomically, so concurrent transitions are each counted once with their
     * true "from"); any other AtomicReference is written with {@code set}, untouched.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static void set(AtomicReference ref, Object value, Object self) {
        TrackedPartyAgent agent = null;
        try {
            if (self instanceof TrackedPartyAgent && ((TrackedPartyAgent) self).yawlMetrics$lifecycle() == ref && ref != null) {
                agent = (TrackedPartyAgent) self;
            }
        } catch (Throwable t) {
            agent = null;
        }
        if (agent == null) {
            ref.set(value);
            return;
        }
        Object previous = ref.getAndSet(value);
        try {
            Holder.METRICS.transition(agent, previous, value, System.nanoTime());
        } catch (Throwable t) {
            MetricsAgentHealth.recordingError(InstrumentationName.LIFECYCLE, t);
        }
    }
}
