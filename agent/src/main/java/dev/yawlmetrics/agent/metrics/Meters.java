package dev.yawlmetrics.agent.metrics;

import dev.yawlmetrics.agent.instrumentation.ContextBound;
import dev.yawlmetrics.agent.instrumentation.ModuleContext;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.function.Function;

/**
 * A recorder's meters. Woven engine code reaches a recorder only through static hooks, so the
 * recorder keeps its meters in one of these; the module's install step binds it to the
 * {@link ModuleContext} (the registry and the immutable configuration) and the detach unbinds it.
 * The recorder never looks the registry or the configuration up itself.
 *
 * <p>A static final of the meters themselves cannot be used: a late-attached agent's classes stay
 * loaded after a detach (the JVM cannot unload them), so a second attach in the same JVM must
 * build fresh meters on a fresh registry, and code that still runs an old woven method version (a
 * discovery loop that never returns, a heartbeat wrapper already scheduled) must record nothing
 * in between. The meters are built on first use after binding, so the one who records first
 * (an engine thread, if it is quicker than the agent's start-up thread) pays for it, and nothing
 * recorded before the start-up thread finishes is lost.
 */
public final class Meters<T> implements ContextBound {
    private final Function<ModuleContext, T> factory;
    private volatile ModuleContext context;
    private volatile T value;

    private Meters(Function<ModuleContext, T> factory) {
        this.factory = factory;
    }

    /** @param factory builds the meters from the bound context (its registry and configuration) */
    public static <T> Meters<T> of(Function<ModuleContext, T> factory) {
        return new Meters<>(factory);
    }

    /** The module's install step: from now on the meters are built from {@code context}. */
    @Override
    public synchronized void bind(ModuleContext context) {
        this.context = context;
        this.value = null;
    }

    /** At detach: the meters are dropped and nothing is recorded until the next bind. */
    @Override
    public synchronized void unbind() {
        this.context = null;
        this.value = null;
    }

    /** The meters, or null while unbound or detached (the caller then records nothing). */
    public T get() {
        T v = value;
        return v != null ? v : create();
    }

    private synchronized T create() {
        T v = value;
        ModuleContext c = context;
        if (v == null && c != null) {
            MeterRegistry registry = c.registry();
            if (registry == null) {
                return null;
            }
            v = factory.apply(c);
            value = v;
        }
        return v;
    }
}
