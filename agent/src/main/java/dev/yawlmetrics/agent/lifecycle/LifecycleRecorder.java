package dev.yawlmetrics.agent.lifecycle;

import dev.yawlmetrics.agent.targets.SideStates;
import dev.yawlmetrics.agent.targets.TrackedPartyAgent;
import dev.yawlmetrics.agent.metrics.MetricsAgentHealth;
import dev.yawlmetrics.agent.config.InstrumentationName;
import dev.yawlmetrics.agent.core.StartMode;
import dev.yawlmetrics.agent.metrics.Meters;

import java.util.concurrent.atomic.AtomicReference;

/**
 * What the rewritten {@code GenericPartyAgent} calls. Public and static because the calls run
 * inside the engine's class; nothing thrown here reaches engine code except the engine's own
 * behaviour ({@link #set} performs the engine's write itself).
 */
public final class LifecycleRecorder {
    private LifecycleRecorder() {}

    /** Bound by the module's install step, built on first use, unbound at detach (null then: nothing is recorded). */
    static final Meters<LifecycleMetrics> METRICS = Meters.of(context -> new LifecycleMetrics(context.registry()));

    /**
     * The agent's per-agent state: the agent itself when its class gained {@link TrackedPartyAgent}
     * at load time, its entry in {@link SideStates} after a late attach, else null.
     */
    public static TrackedPartyAgent tracked(Object agent) {
        if (agent instanceof TrackedPartyAgent) {
            return (TrackedPartyAgent) agent;
        }
        return agent != null && StartMode.isLate() ? SideStates.of(agent) : null;
    }

    /**
     * At each exit of the constructor, after its super call: {@code failure} is null when it
     * returned, else the exception it throws (rethrown unchanged by the woven code).
     */
    public static void constructorExited(Object agent, Throwable failure) {
        if (failure == null) {
            created(agent);
        } else {
            constructorFailed();
        }
    }

    private static void created(Object agent) {
        try {
            TrackedPartyAgent a = tracked(agent);
            if (a != null) {
                if (a instanceof SideStates.State) {
                    ((SideStates.State) a).live = true;
                }
                AtomicReference<?> ref = a.yawlMetrics$lifecycle();
                LifecycleMetrics m = METRICS.get();
                if (m != null) {
                    m.created(a, ref == null ? null : ref.get(), System.nanoTime());
                }
            }
        } catch (Throwable t) {
            MetricsAgentHealth.recordingError(InstrumentationName.LIFECYCLE, t);
        }
    }

    private static void constructorFailed() {
        try {
            LifecycleMetrics m = METRICS.get();
            if (m != null) {
                m.createFailed();
            }
        } catch (Throwable t) {
            MetricsAgentHealth.recordingError(InstrumentationName.LIFECYCLE, t);
        }
    }

    /**
     * At entry of {@code stop()}: whether the agent is stopped already. The engine's shutdown
     * hook stops agents that are stopped (STOPPED -> STOPPING -> STOPPED); that stop() stops
     * nothing and is not counted.
     */
    public static boolean stopping(Object agent) {
        try {
            TrackedPartyAgent a = tracked(agent);
            AtomicReference<?> ref = a == null ? null : a.yawlMetrics$lifecycle();
            Object state = ref == null ? null : ref.get();
            return state instanceof Enum && LifecycleMetrics.STOPPED.equals(((Enum<?>) state).name());
        } catch (Throwable t) {
            MetricsAgentHealth.recordingError(InstrumentationName.LIFECYCLE, t);
            return false;
        }
    }

    /** After {@code stop()} completed normally; {@code wasStopped} is what {@link #stopping} saw. */
    public static void stopped(boolean wasStopped) {
        if (wasStopped) {
            return;
        }
        try {
            LifecycleMetrics m = METRICS.get();
            if (m != null) {
                m.stopped();
            }
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
            TrackedPartyAgent t = tracked(self);
            if (t != null && ref != null && t.yawlMetrics$lifecycle() == ref) {
                agent = t;
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
            LifecycleMetrics m = METRICS.get();
            if (m != null) {
                if (agent instanceof SideStates.State && !((SideStates.State) agent).live) {
                    // met mid-life after a late attach: it was in `previous` all along
                    ((SideStates.State) agent).live = true;
                    m.adopt(previous);
                }
                m.transition(agent, previous, value, System.nanoTime());
            }
        } catch (Throwable t) {
            MetricsAgentHealth.recordingError(InstrumentationName.LIFECYCLE, t);
        }
    }
}
