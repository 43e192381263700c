package dev.yawlmetrics.agent.discovery;

import dev.yawlmetrics.agent.metrics.MetricsAgentHealth;
import dev.yawlmetrics.agent.config.InstrumentationName;
import dev.yawlmetrics.agent.targets.SideStates;
import dev.yawlmetrics.agent.targets.TrackedPartyAgent;
import dev.yawlmetrics.agent.metrics.Meters;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.util.concurrent.TimeUnit;

/**
 * What the instrumented {@code GenericPartyAgent} calls. Every recording error stops here;
 * {@link #sleep} performs the engine's own sleep after recording, so its InterruptedException
 * (which is how {@code stop()} ends the loop) reaches the engine unchanged.
 */
public final class DiscoveryRecorder {
    private DiscoveryRecorder() {}

    /** Bound by the module's install step, built on first use, unbound at detach (null then: nothing is recorded). */
    static final Meters<DiscoveryMetrics> METRICS = Meters.of(context -> new DiscoveryMetrics(context.registry()));

    public static void cycleFinished(boolean processed, Throwable thrown) {
        try {
            DiscoveryMetrics m = METRICS.get();
            if (m != null) {
                m.cycleFinished(processed, thrown);
            }
        } catch (Throwable t) {
            MetricsAgentHealth.recordingError(InstrumentationName.DISCOVERY, t);
        }
    }

    public static void loopStarted(Object agent) {
        try {
            if (agent instanceof TrackedPartyAgent) {
                DiscoveryMetrics m = METRICS.get();
                if (m != null) {
                    m.loopStarted((TrackedPartyAgent) agent);
                }
            }
        } catch (Throwable t) {
            MetricsAgentHealth.recordingError(InstrumentationName.DISCOVERY, t);
        }
    }

    public static void loopEnded(Object agent) {
        try {
            if (agent instanceof TrackedPartyAgent) {
                DiscoveryMetrics m = METRICS.get();
                if (m != null) {
                    m.loopEnded((TrackedPartyAgent) agent);
                }
            }
        } catch (Throwable t) {
            MetricsAgentHealth.recordingError(InstrumentationName.DISCOVERY, t);
        }
    }

    /** Entry of runDiscoveryCycle, woven only after a late attach (see DiscoveryMetrics.cycleStarting). */
    public static void cycleStarting(Object agent) {
        try {
            SideStates.State state = agent == null ? null : SideStates.of(agent);
            DiscoveryMetrics m = METRICS.get();
            if (state != null && m != null) {
                synchronized (state) { // the agent's own thread and stop()'s caller may meet here
                    if (state.running()) {
                        m.cycleStarting(state);
                    }
                }
            }
        } catch (Throwable t) {
            MetricsAgentHealth.recordingError(InstrumentationName.DISCOVERY, t);
        }
    }

    /** Exit of stop(), woven only after a late attach: the loop leaves the backoff aggregates. */
    public static void agentStopped(Object agent) {
        try {
            SideStates.State state = agent == null ? null : SideStates.of(agent);
            DiscoveryMetrics m = METRICS.get();
            if (state != null && m != null) {
                synchronized (state) {
                    m.loopEnded(state);
                }
            }
        } catch (Throwable t) {
            MetricsAgentHealth.recordingError(InstrumentationName.DISCOVERY, t);
        }
    }

    /**
     * Replaces {@code ibClient.checkOutWorkItem(id, session)} in processWorkItem after a late
     * attach (the load-time version adds a wrapper method instead, which retransformation forbids):
     * the engine's call through a method handle, its answer or exception seen and passed on unchanged.
     */
    public static String checkOutWorkItem(Object client, String itemId, String session) throws Throwable {
        String answer;
        try {
            answer = (String) CLIENT_CALLS.get(client.getClass()).checkOut.invoke(client, itemId, session);
        } catch (Throwable engineError) {
            checkedOut(null, engineError);
            throw engineError;
        }
        checkedOut(answer, null);
        return answer;
    }

    /** As {@link #checkOutWorkItem}, for {@code ibClient.checkInWorkItem(id, data, logPredicate, session)}. */
    public static String checkInWorkItem(Object client, String itemId, String data, String logPredicate, String session) throws Throwable {
        String answer;
        try {
            answer = (String) CLIENT_CALLS.get(client.getClass()).checkIn.invoke(client, itemId, data, logPredicate, session);
        } catch (Throwable engineError) {
            checkedIn(null, engineError);
            throw engineError;
        }
        checkedIn(answer, null);
        return answer;
    }

    /** The engine client's two methods on one client class; a NullPointerException on a null client, as the engine's call would throw. */
    private static final class ClientCalls {
        final MethodHandle checkOut;
        final MethodHandle checkIn;

        ClientCalls(Class<?> type) throws ReflectiveOperationException {
            checkOut = handle(type, "checkOutWorkItem", 2);
            checkIn = handle(type, "checkInWorkItem", 4);
        }

        private static MethodHandle handle(Class<?> type, String name, int strings) throws ReflectiveOperationException {
            Class<?>[] params = new Class<?>[strings];
            java.util.Arrays.fill(params, String.class);
            Method m = type.getMethod(name, params);
            m.setAccessible(true);
            return MethodHandles.lookup().unreflect(m);
        }
    }

    private static final ClassValue<ClientCalls> CLIENT_CALLS = new ClassValue<ClientCalls>() {
        @Override
        protected ClientCalls computeValue(Class<?> type) {
            try {
                return new ClientCalls(type);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
    };

    /** Replaces {@code unit.sleep(duration)} inside the discovery loop's lambda. */
    public static void sleep(TimeUnit unit, long duration, Object self) throws InterruptedException {
        try {
            if (self instanceof TrackedPartyAgent && unit != null) {
                DiscoveryMetrics m = METRICS.get();
                if (m != null) {
                    m.sleeping((TrackedPartyAgent) self, unit.toNanos(duration) / 1_000_000.0);
                }
            }
        } catch (Throwable t) {
            MetricsAgentHealth.recordingError(InstrumentationName.DISCOVERY, t);
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
            MetricsAgentHealth.recordingError(InstrumentationName.DISCOVERY, t);
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
            MetricsAgentHealth.recordingError(InstrumentationName.DISCOVERY, t);
        }
    }
}
