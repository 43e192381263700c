package dev.yawlmetrics.agent.instrumentation;

import dev.yawlmetrics.agent.config.MetricsAgentConfig;
import io.micrometer.core.instrument.MeterRegistry;

import java.lang.instrument.Instrumentation;
import java.util.function.Supplier;

/**
 * What a module gets from the agent: the registry its meters go to, the immutable
 * configuration, the JVM's Instrumentation, and where to report outcomes. Handed to
 * what {@link InstrumentationModule#boundToContext} lists (before any woven code of the module can run) and to
 * {@link InstrumentationModule#onAgentStarted}.
 */
public final class ModuleContext {
    private final Instrumentation instrumentation;
    private final Supplier<? extends MeterRegistry> registry;
    private final MetricsAgentConfig config;
    private final InstrumentationOutcomes outcomes;

    /**
     * @param registry the registry, created on first use (premain must not build it on the
     *                 engine's thread); null from the supplier once the agent detached
     */
    public ModuleContext(Instrumentation instrumentation, Supplier<? extends MeterRegistry> registry, MetricsAgentConfig config,
                         InstrumentationOutcomes outcomes) {
        this.instrumentation = instrumentation;
        this.registry = registry;
        this.config = config;
        this.outcomes = outcomes;
    }

    /** For unit tests: one registry, the default configuration. */
    public static ModuleContext of(MeterRegistry registry) {
        return new ModuleContext(null, () -> registry, MetricsAgentConfig.defaults(), InstrumentationOutcomes.NONE);
    }

    /** May be null in unit tests that run without an agent. */
    public Instrumentation instrumentation() { return instrumentation; }

    /** The registry; null once the agent detached. */
    public MeterRegistry registry() { return registry.get(); }

    public MetricsAgentConfig config() { return config; }

    /** For modules without type instrumentations, which report themselves applied. */
    public InstrumentationOutcomes outcomes() { return outcomes; }
}
