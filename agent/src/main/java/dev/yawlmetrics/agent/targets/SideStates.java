package dev.yawlmetrics.agent.targets;


import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.lang.reflect.Field;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The per-agent state of the lifecycle and discovery metrics when the agent was attached to a
 * running JVM: there the engine's class cannot gain the fields {@link TrackedPartyAgent} normally adds
 * (a retransformation may not change a class's shape), so the state lives next to the agent, in a
 * weak identity table. An entry is the weak reference to its agent itself, so it holds the agent
 * only weakly and goes away with it: the table is bounded by the live agents. The engine's own
 * fields are read through method handles on the agent's class (same values the generated getters
 * would read).
 */
public final class SideStates {
    private static final int STRIPES = 64;
    private static final Stripe[] TABLE = new Stripe[STRIPES];
    private static final ReferenceQueue<Object> DEAD = new ReferenceQueue<>();

    static {
        for (int i = 0; i < STRIPES; i++) {
            TABLE[i] = new Stripe();
        }
    }

    private SideStates() {}

    /** The agent's state, created on first sight; null when the agent's fields cannot be read. */
    public static State of(Object agent) {
        Fields f = FIELDS.get(agent.getClass());
        if (f == null) {
            return null;
        }
        int h = System.identityHashCode(agent);
        Stripe s = TABLE[(h ^ (h >>> 16)) & (STRIPES - 1)];
        expunge();
        return s.getOrCreate(agent, h, f);
    }

    /** Agents currently in the table (dead ones are removed as they are noticed). */
    public static int size() {
        expunge();
        int n = 0;
        for (Stripe s : TABLE) {
            n += s.size;
        }
        return n;
    }

    /** Forgets everything: at detach, so a later attach adopts every agent afresh. */
    public static void clear() {
        for (Stripe s : TABLE) {
            s.clear();
        }
        while (DEAD.poll() != null) {
            // drained
        }
    }

    private static void expunge() {
        java.lang.ref.Reference<?> r;
        while ((r = DEAD.poll()) != null) {
            State st = (State) r;
            int h = st.hash;
            TABLE[(h ^ (h >>> 16)) & (STRIPES - 1)].remove(st);
        }
    }

    /** One agent's side state: what {@link TrackedPartyAgent}'s added fields hold, plus the engine fields' readers. */
    public static final class State extends WeakReference<Object> implements TrackedPartyAgent {
        final int hash;
        final Fields fields;
        State next;
        private long stateSince;
        private int empties;
        private int backoff;
        /** Whether this agent is counted in yawl_agent_live (an agent met mid-life is counted at its first transition). */
        public volatile boolean live;

        State(Object agent, int hash, Fields fields, State next) {
            super(agent, DEAD);
            this.hash = hash;
            this.fields = fields;
            this.next = next;
        }

        @Override public long yawlMetrics$stateSince() { return stateSince; }
        @Override public void yawlMetrics$stateSince(long nanos) { stateSince = nanos; }
        @Override public int yawlMetrics$empties() { return empties; }
        @Override public void yawlMetrics$empties(int emptiesPlusOne) { empties = emptiesPlusOne; }
        @Override public int yawlMetrics$backoff() { return backoff; }
        @Override public void yawlMetrics$backoff(int ms) { backoff = ms; }

        @Override
        public AtomicReference<?> yawlMetrics$lifecycle() {
            Object a = get();
            return a == null ? null : (AtomicReference<?>) fields.read(fields.lifecycle, a);
        }

        @Override
        public int yawlMetrics$emptyResultsCount() {
            Object a = get();
            return a == null ? 0 : (Integer) fields.read(fields.emptyResultsCount, a);
        }

        @Override
        public long yawlMetrics$backoffMs() {
            Object a = get();
            return a == null ? 0 : (Long) fields.read(fields.backoffMs, a);
        }

        @Override
        public long yawlMetrics$baseIntervalMs() {
            Object a = get();
            return a == null ? 0 : (Long) fields.read(fields.baseIntervalMs, a);
        }

        /** The engine's {@code running} flag; true when the agent has none (drifted): then it is never dropped early. */
        public boolean running() {
            Object a = get();
            if (a == null) {
                return false;
            }
            if (fields.running == null) {
                return true;
            }
            Object r = fields.read(fields.running, a);
            return !(r instanceof AtomicBoolean) || ((AtomicBoolean) r).get();
        }
    }

    private static final class Stripe {
        private State[] buckets = new State[16];
        int size;

        synchronized State getOrCreate(Object agent, int hash, Fields f) {
            int i = hash & (buckets.length - 1);
            for (State s = buckets[i]; s != null; s = s.next) {
                if (s.hash == hash && s.get() == agent) {
                    return s;
                }
            }
            State created = new State(agent, hash, f, buckets[i]);
            buckets[i] = created;
            if (++size > buckets.length * 3 / 4) {
                grow();
            }
            return created;
        }

        synchronized void remove(State dead) {
            int i = dead.hash & (buckets.length - 1);
            State prev = null;
            for (State s = buckets[i]; s != null; prev = s, s = s.next) {
                if (s == dead) {
                    if (prev == null) {
                        buckets[i] = s.next;
                    } else {
                        prev.next = s.next;
                    }
                    size--;
                    return;
                }
            }
        }

        synchronized void clear() {
            buckets = new State[16];
            size = 0;
        }

        private void grow() {
            State[] old = buckets;
            State[] grown = new State[old.length * 2];
            for (State head : old) {
                for (State s = head; s != null; ) {
                    State next = s.next;
                    int i = s.hash & (grown.length - 1);
                    s.next = grown[i];
                    grown[i] = s;
                    s = next;
                }
            }
            buckets = grown;
        }
    }

    /** Getters of the engine's private fields on one agent class (the engine's code is on the class path, in no named module). */
    static final class Fields {
        final MethodHandle lifecycle;
        final MethodHandle emptyResultsCount;
        final MethodHandle backoffMs;
        final MethodHandle baseIntervalMs;
        final MethodHandle running;

        Fields(Class<?> type) throws ReflectiveOperationException {
            lifecycle = getter(type, "lifecycle", Object.class);
            emptyResultsCount = getter(type, "emptyResultsCount", Object.class);
            backoffMs = getter(type, "backoffMs", Object.class);
            baseIntervalMs = getter(type, "baseIntervalMs", Object.class);
            MethodHandle r;
            try {
                r = getter(type, "running", Object.class);
            } catch (ReflectiveOperationException e) {
                r = null;
            }
            running = r;
        }

        private static MethodHandle getter(Class<?> type, String name, Class<?> as) throws ReflectiveOperationException {
            Field f = type.getDeclaredField(name);
            f.setAccessible(true);
            return MethodHandles.lookup().unreflectGetter(f).asType(MethodType.methodType(as, Object.class));
        }

        Object read(MethodHandle h, Object agent) {
            try {
                return h.invokeExact(agent);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }
    }

    private static final ClassValue<Fields> FIELDS = new ClassValue<Fields>() {
        @Override
        protected Fields computeValue(Class<?> type) {
            try {
                return new Fields(type);
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null;
            }
        }
    };
}
