package dev.yawlmetrics.agent.discovery;

import dev.yawlmetrics.agent.metrics.MetricsAgentHealth;
import dev.yawlmetrics.agent.config.InstrumentationName;
import dev.yawlmetrics.agent.targets.TrackedPartyAgent;
import dev.yawlmetrics.agent.metrics.MetricsAgentRegistry;

import java.util.concurrent.TimeUnit;

/**
 * What the instrumented {@code GenericPartyAgent} calls. Every recording error stops here;
 * {@link #sleep} performs the engine's own sleep after recording, so its InterruptedException
 * (which is how {@code stop()} ends the loop) reaches the engine unchanged.
 */
public final class DiscoveryRecorder {
    private DiscoveryRecorder() {}

    private static final class Holder {
        static final DiscoveryMetrics METRICS = new DiscoveryMetrics(MetricsAgentRegistry.registry());
    }

    public static void cycleFinished(boolean processed, Throwable thrown) {
        try {
            Holder.METRICS.cycleFinished(processed, thrown);
        } catch (Throwable t) {
            MetricsAgentHealth.recordingError(InstrumentationName.DISCOVERY, t);
        }
    }

    public static void loopStarted(Object agent) {
        try {
            if (agent instanceof TrackedPartyAgent) {
                Holder.METRICS.loopStarted((TrackedPartyAgent) agent);
            }
        } catch (Throwable t) {
            MetricsAgentHealth.recordingError(InstrumentationName.DISCOVERY, t);
        }
    }

    public static void loopEnded(Object agent) {
        try {
            if (agent instanceof TrackedPartyAgent) {
                Holder.METRICS.loopEnded((TrackedPartyAgent) agent);
            }
        } catch (Throwable t) {
            MetricsAgentHealth.recordingError(InstrumentationName.DISCOVERY, t);
        }
    }

    /** Replaces {@code unit.sleep(duration)} inside the discovery loop's lambda. */
    public static void sleep(TimeUnit unit, long duration, Object self) throws InterruptedException {
        try {
            if (self instanceof TrackedPartyAgent && unit != null) {
                Holder.METRICS.sleeping((TrackedPartyAgent) self, unit.toNanos(duration) / 1_000_000.0);
            }
        } catch (Throwable t) {
            MetricsAgentHealth.recordingError(InstrumentationName.DISCOVERY, t);
        }
        unit.sleep(duration);
    }

    /** After {@code ibClient.checkOutWorkItem(...)} returned or threw inside processWorkItem. */
    public static void checkedOut(String answer, Throwable thrown) {
        try {
            Holder.METRICS.checkedOut(thrown == null ? answer : null);
        } catch (Throwable t) {
            MetricsAgentHealth.recordingError(InstrumentationName.DISCOVERY, t);
        }
    }

    /** After {@code ibClient.checkInWorkItem(...)} returned or threw inside processWorkItem. */
    public static void checkedIn(String answer, Throwable thrown) {
        try {
            Holder.METRICS.checkedIn(thrown == null ? answer : null);
        } catch (Throwable t) {
            MetricsAgentHealth.recordingError(InstrumentationName.DISCOVERY, t);
        }
    }
}
