package dev.yawlmetrics.agent.discovery;

import dev.yawlmetrics.agent.config.InstrumentationName;
import dev.yawlmetrics.agent.lifecycle.TrackedAgent;
import dev.yawlmetrics.agent.metrics.AgentMetrics;
import dev.yawlmetrics.agent.metrics.Meters;

import java.util.concurrent.TimeUnit;

/**
 * What the instrumented {@code GenericPartyAgent} calls. Every recording error stops here;
 * {@link #sleep} performs the engine's own sleep after recording, so its InterruptedException
 * (which is how {@code stop()} ends the loop) reaches the engine unchanged.
 */
public final class DiscoveryRecorder {
    private DiscoveryRecorder() {}

    /** Built on first use, dropped at detach (null then: nothing is recorded). */
    private static final Meters<DiscoveryMetrics> METRICS = Meters.of(DiscoveryMetrics::new);

    public static void cycleFinished(boolean processed, Throwable thrown) {
        try {
            DiscoveryMetrics m = METRICS.get();
            if (m != null) {
                m.cycleFinished(processed, thrown);
            }
        } catch (Throwable t) {
            AgentMetrics.recordingError(InstrumentationName.DISCOVERY, t);
        }
    }

    public static void loopStarted(Object agent) {
        try {
            if (agent instanceof TrackedAgent) {
                DiscoveryMetrics m = METRICS.get();
                if (m != null) {
                    m.loopStarted((TrackedAgent) agent);
                }
            }
        } catch (Throwable t) {
            AgentMetrics.recordingError(InstrumentationName.DISCOVERY, t);
        }
    }

    public static void loopEnded(Object agent) {
        try {
            if (agent instanceof TrackedAgent) {
                DiscoveryMetrics m = METRICS.get();
                if (m != null) {
                    m.loopEnded((TrackedAgent) agent);
                }
            }
        } catch (Throwable t) {
            AgentMetrics.recordingError(InstrumentationName.DISCOVERY, t);
        }
    }

    /** Replaces {@code unit.sleep(duration)} inside the discovery loop's lambda. */
    public static void sleep(TimeUnit unit, long duration, Object self) throws InterruptedException {
        try {
            if (self instanceof TrackedAgent && unit != null) {
                DiscoveryMetrics m = METRICS.get();
                if (m != null) {
                    m.sleeping((TrackedAgent) self, unit.toNanos(duration) / 1_000_000.0);
                }
            }
        } catch (Throwable t) {
            AgentMetrics.recordingError(InstrumentationName.DISCOVERY, t);
        }
        unit.sleep(duration);
    }

    /** After {@code ibClient.checkOutWorkItem(...)} returned or threw inside processWorkItem. */
    public static void checkedOut(String answer, Throwable thrown) {
        try {
            DiscoveryMetrics m = METRICS.get();
            if (m != null) {
                m.checkedOut(thrown == null ? answer : null);
            }
        } catch (Throwable t) {
            AgentMetrics.recordingError(InstrumentationName.DISCOVERY, t);
        }
    }

    /** After {@code ibClient.checkInWorkItem(...)} returned or threw inside processWorkItem. */
    public static void checkedIn(String answer, Throwable thrown) {
        try {
            DiscoveryMetrics m = METRICS.get();
            if (m != null) {
                m.checkedIn(thrown == null ? answer : null);
            }
        } catch (Throwable t) {
            AgentMetrics.recordingError(InstrumentationName.DISCOVERY, t);
        }
    }
}
