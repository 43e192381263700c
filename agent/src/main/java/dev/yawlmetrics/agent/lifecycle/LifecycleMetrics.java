package dev.yawlmetrics.agent.lifecycle;

import dev.yawlmetrics.agent.targets.TrackedPartyAgent;
import dev.yawlmetrics.agent.metrics.Buckets;
import dev.yawlmetrics.agent.metrics.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Lifecycle meters and the per-state live counts. Everything is indexed by the state enum's
 * ordinal (the engine's {@code AgentLifecycle} has nine; up to {@link #MAX_STATES} are tracked),
 * so recording is a few array reads and atomic adds, and scraping reads the arrays: no walk over
 * agents. Plain Java, unit-tested without an agent.
 */
public final class LifecycleMetrics {
    static final int MAX_STATES = 16;
    static final String STOPPED = "STOPPED";
    /** The state start() sets first. */
    static final String INITIALIZING = "INITIALIZING";

    private final MeterRegistry registry;
    private final Counter creations;
    private final Counter stopped;
    private final Counter createFailures;
    private final Counter restarts;
    /** Agents currently in each state (by ordinal); STOPPED is counted but not exported as live. */
    private final AtomicLongArray live = new AtomicLongArray(MAX_STATES);
    private final AtomicReferenceArray<DistributionSummary> durations = new AtomicReferenceArray<>(MAX_STATES);
    private final AtomicReferenceArray<Counter> transitions = new AtomicReferenceArray<>(MAX_STATES * MAX_STATES);
    private volatile Class<?> registeredStates;

    public LifecycleMetrics(MeterRegistry registry) {
        this.registry = registry;
        creations = Counter.builder(MetricNames.AGENT_CREATIONS)
                .description("GenericPartyAgent constructors that completed (the agent entered CREATED)")
                .register(registry);
        stopped = Counter.builder(MetricNames.AGENT_STOPPED)
                .description("GenericPartyAgent.stop() calls that completed on an agent not stopped already")
                .register(registry);
        createFailures = Counter.builder(MetricNames.AGENT_CREATE_FAILURES)
                .description("GenericPartyAgent constructors that threw (e.g. engine connection refused); the exception reached the caller unchanged")
                .register(registry);
        restarts = Counter.builder(MetricNames.AGENT_RECONNECTS)
                .description("Agent reconnects by reason; discovery_restart = a stopped agent was started again")
                .tag("reason", "discovery_restart")
                .register(registry);
    }

    /** The constructor completed; {@code state} is what its AtomicReference holds (CREATED). */
    public void created(TrackedPartyAgent agent, Object state, long nowNanos) {
        agent.yawlMetrics$stateSince(nowNanos);
        creations.increment();
        int s = ordinal(state);
        if (s >= 0) {
            registerStates(state);
            live.incrementAndGet(s);
        }
    }

    /**
     * An agent that existed before a late attach, seen for the first time in {@code state}: from
     * now on it counts in the live gauge (its time in that state so far is unknown).
     */
    public void adopt(Object state) {
        int s = ordinal(state);
        if (s >= 0) {
            registerStates(state);
            live.incrementAndGet(s);
        }
    }

    public void createFailed() {
        createFailures.increment();
    }

    public void stopped() {
        stopped.increment();
    }

    /** One {@code lifecycle.set(to)} that replaced {@code from}. */
    public void transition(TrackedPartyAgent agent, Object from, Object to, long nowNanos) {
        int f = ordinal(from);
        int t = ordinal(to);
        if (f < 0 || t < 0) {
            return;
        }
        registerStates(to);
        transitionCounter(f, t, from, to).increment();
        if (f == t) {
            return; // set to the state it already had: counted, but the agent did not leave its state
        }
        live.incrementAndGet(t);
        live.decrementAndGet(f);
        long since = agent.yawlMetrics$stateSince();
        agent.yawlMetrics$stateSince(nowNanos);
        if (since != 0) {
            DistributionSummary d = durations.get(f);
            if (d != null) {
                d.record((nowNanos - since) / 1_000_000.0);
            }
        }
        // Only start() after a stop is a restart. The engine's shutdown hook calls stop() again on
        // agents already stopped (STOPPED -> STOPPING -> STOPPED): that is not one.
        if (STOPPED.equals(((Enum<?>) from).name()) && INITIALIZING.equals(((Enum<?>) to).name())) {
            restarts.increment();
        }
    }

    /** Agents currently in the state with this ordinal (for tests). */
    long live(int ordinal) {
        return live.get(ordinal);
    }

    private Counter transitionCounter(int f, int t, Object from, Object to) {
        int i = f * MAX_STATES + t;
        Counter c = transitions.get(i);
        if (c == null) {
            c = Counter.builder(MetricNames.AGENT_STATE_TRANSITIONS)
                    .description("lifecycle.set(...) calls on GenericPartyAgent, by previous and new state")
                    .tag("from", ((Enum<?>) from).name())
                    .tag("to", ((Enum<?>) to).name())
                    .register(registry);
            transitions.set(i, c);
        }
        return c;
    }

    /** Registers the per-state meters once, from the engine's own enum, so every state shows up with 0. */
    private void registerStates(Object state) {
        Class<?> enumClass = ((Enum<?>) state).getDeclaringClass();
        if (registeredStates == enumClass) {
            return;
        }
        synchronized (this) {
            if (registeredStates == enumClass) {
                return;
            }
            for (Object constant : enumClass.getEnumConstants()) {
                Enum<?> e = (Enum<?>) constant;
                int o = e.ordinal();
                if (o >= MAX_STATES) {
                    continue;
                }
                if (durations.get(o) == null) {
                    durations.set(o, DistributionSummary.builder(MetricNames.AGENT_STATE_DURATION)
                            .description("Time an agent stayed in a lifecycle state before leaving it, ms")
                            .tag("state", e.name())
                            .serviceLevelObjectives(Buckets.LONG_MS)
                            .register(registry));
                }
                if (!STOPPED.equals(e.name())) {
                    Gauge.builder(MetricNames.AGENT_LIVE, live, a -> a.get(o))
                            .description("Agents in this JVM currently in each lifecycle state (stopped agents are not live)")
                            .tag("state", e.name())
                            .register(registry);
                }
            }
            registeredStates = enumClass;
        }
    }

    static int ordinal(Object state) {
        if (!(state instanceof Enum)) {
            return -1;
        }
        int o = ((Enum<?>) state).ordinal();
        return o < MAX_STATES ? o : -1;
    }
}
