package dev.yawlmetrics.agent.instrumentation;

import dev.yawlmetrics.agent.core.MetricsAgentLog;

import java.util.List;

/**
 * Binds every enabled module to its {@link ModuleContext} once per attach, at the first moment
 * woven code could need its meters (the gate's first rewritten class) or at start-up, whichever
 * comes first; unbinds them at detach.
 */
public final class ModuleBindings {
    private final List<InstrumentationModule> modules;
    private final ModuleContext context;
    private volatile boolean bound;

    public ModuleBindings(List<InstrumentationModule> modules, ModuleContext context) {
        this.modules = List.copyOf(modules);
        this.context = context;
    }

    public ModuleContext context() {
        return context;
    }

    public void bindAll() {
        if (bound) {
            return;
        }
        synchronized (this) {
            if (bound) {
                return;
            }
            for (InstrumentationModule m : modules) {
                try {
                    for (ContextBound b : m.boundToContext()) {
                        b.bind(context);
                    }
                } catch (Throwable t) {
                    MetricsAgentLog.error(m.name().id() + ": could not bind its meters; it records nothing: " + t);
                }
            }
            bound = true;
        }
    }

    /** @return one line per module that failed to unbind */
    public synchronized List<String> unbindAll() {
        List<String> problems = new java.util.ArrayList<>();
        for (InstrumentationModule m : modules) {
            try {
                for (ContextBound b : m.boundToContext()) {
                    b.unbind();
                }
            } catch (Throwable t) {
                problems.add(m.name().id() + ": " + t);
            }
        }
        bound = false;
        return problems;
    }
}
