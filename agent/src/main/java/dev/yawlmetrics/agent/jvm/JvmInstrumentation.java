package dev.yawlmetrics.agent.jvm;

import dev.yawlmetrics.agent.config.InstrumentationName;
import dev.yawlmetrics.agent.core.MetricsAgentLog;
import dev.yawlmetrics.agent.instrumentation.ModuleContext;
import dev.yawlmetrics.agent.instrumentation.InstrumentationModule;
import dev.yawlmetrics.agent.instrumentation.TypeInstrumentation;

import java.util.List;

/**
 * JVM metrics (design 1.7): no class is rewritten, Micrometer's binders are bound once the
 * registry exists. Switch off with yawl.instrumentation.jvm.enabled=false when the engine
 * already exports JVM metrics of its own.
 */
public final class JvmInstrumentation implements InstrumentationModule {
    private static volatile JvmMetrics bound;

    @Override
    public InstrumentationName name() {
        return InstrumentationName.JVM;
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return List.of();
    }

    @Override
    public void onAgentStarted(ModuleContext context) {
        if (bound != null) {
            return;
        }
        JvmMetrics metrics = new JvmMetrics();
        List<String> failures = metrics.bindTo(context.registry());
        for (String f : failures) {
            MetricsAgentLog.warn("jvm: a JVM binder failed and its meters are missing: " + f);
        }
        bound = metrics;
        context.outcomes().applied(InstrumentationName.JVM);
    }

    /** Removes the GC notification listeners; the gauges go with the registry. */
    @Override
    public void onAgentDetached() {
        JvmMetrics metrics = bound;
        bound = null;
        if (metrics != null) {
            metrics.close();
        }
    }
}
