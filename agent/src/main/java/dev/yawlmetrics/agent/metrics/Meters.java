package dev.yawlmetrics.agent.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A recorder's meters, built on first use from the agent's registry and dropped when the agent
 * detaches. A static final holder cannot be used: a late-attached agent's classes stay loaded
 * after a detach (the JVM cannot unload them), so a second attach in the same JVM must build
 * fresh meters on a fresh registry, and code that still runs an old woven method version (a
 * discovery loop that never returns, a heartbeat wrapper already scheduled) must record nothing
 * in between.
 */
public final class Meters<T> {
    private static final List<Meters<?>> ALL = new CopyOnWriteArrayList<>();

    private final Function<PrometheusMeterRegistry, T> factory;
    private volatile T value;

    private Meters(Function<PrometheusMeterRegistry, T> factory) {
        this.factory = factory;
    }

    public static <T> Meters<T> of(Function<PrometheusMeterRegistry, T> factory) {
        Meters<T> m = new Meters<>(factory);
        ALL.add(m);
        return m;
    }

    /** The meters, or null while the agent is detached (the caller then records nothing). */
    public T get() {
        T v = value;
        return v != null ? v : create();
    }

    private synchronized T create() {
        T v = value;
        if (v == null) {
            PrometheusMeterRegistry registry = MetricsAgentRegistry.registryIfAttached();
            if (registry == null) {
                return null;
            }
            v = factory.apply(registry);
            value = v;
        }
        return v;
    }

    private synchronized void drop() {
        value = null;
    }

    /** Called by {@link MetricsAgentRegistry#detach()} after it stopped handing out the registry. */
    static void dropAll() {
        for (Meters<?> m : ALL) {
            m.drop();
        }
    }
}
