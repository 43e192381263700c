package dev.yawlmetrics.agent.discovery;

import dev.yawlmetrics.agent.config.InstrumentationName;
import dev.yawlmetrics.agent.lifecycle.TrackedAgent;
import dev.yawlmetrics.agent.metrics.AgentMetrics;

import java.util.concurrent.TimeUnit;

/**
 * What the instrumented {@code GenericPartyAgent} calls. Every recording error stops here;
 * {@link #sleep} performs the engine's own sleep after recording, so its InterruptedException
 * (which is how {@code stop()} ends the loop) reaches the engine unchanged.
 */
public final class DiscoveryRecorder {
    private DiscoveryRecorder() {}

    private static final class Holder {
        static final DiscoveryMetrics METRICS = new DiscoveryMetrics(AgentMetrics.registry());
    }

    public static void cycleFinished(boolean processed, Throwable thrown) {
        try {
            Holder.METRICS.cycleFinished(processed, thrown);
        } catch (Throwable t) {
            AgentMetrics.recordingError(InstrumentationName.DISCOVERY, t);
        }
    }

    public static void loopStarted(Object agent) {
        try {
            if (agent instanceof TrackedAgent) {
                Holder.METRICS.loopStarted((TrackedAgent) agent);
            }
        } catch (Throwable t) {
            AgentMetrics.recordingError(InstrumentationName.DISCOVERY, t);
        }
    }

    public static void loopEnded(Object agent) {
        try {
            if (agent instanceof TrackedAgent) {
                Holder.METRICS.loopEnded((TrackedAgent) agent);
            }
        } catch (Throwable t) {
            AgentMetrics.recordingError(InstrumentationName.DISCOVERY, t);
        }
    }

    /** Replaces {@code unit.sleep(duration)} inside the discovery loop's lambda. */
    public static void sleep(TimeUnit unit, long duration, Object self) throws InterruptedException {
        try {
            if (self instanceof TrackedAgent && unit != null) {
                Holder.METRICS.sleeping((TrackedAgent) self, unit.toNanos(duration) / 1_000_000.0);
            }
        } catch (Throwable t) {
            AgentMetrics.recordingError(InstrumentationName.DISCOVERY, t);
        }
        unit.sleep(duration);
    }

    /** After {@code ibClient.checkOutWorkItem(...)} returned or threw inside processWorkItem. */
    public static void checkedOut(String answer, Throwable thrown) {
        try {
            Holder.METRICS.checkedOut(thrown == null ? answer : null);
        } catch (Throwable t) {
            AgentMetrics.recordingError(InstrumentationName.DISCOVERY, t);
        }
    }

    /** After {@code ibClient.checkInWorkItem(...)} returned or threw inside processWorkItem. */
    public static void checkedIn(String answer, Throwable thrown) {
        try {
            Holder.METRICS.checkedIn(thrown == null ? answer : null);
        } catch (Throwable t) {
            AgentMetrics.recordingError(InstrumentationName.DISCOVERY, t);
        }
    }
}
