package dev.yawlmetrics.agent.instrumentation;

import io.micrometer.core.instrument.MeterRegistry;

import java.lang.instrument.Instrumentation;

/** What a module gets when the agent is up. */
public final class ModuleContext {
    private final Instrumentation instrumentation;
    private final MeterRegistry registry;
    private final InstrumentationOutcomes outcomes;

    public ModuleContext(Instrumentation instrumentation, MeterRegistry registry, InstrumentationOutcomes outcomes) {
        this.instrumentation = instrumentation;
        this.registry = registry;
        this.outcomes = outcomes;
    }

    /** May be null in unit tests that run without an agent. */
    public Instrumentation instrumentation() { return instrumentation; }

    public MeterRegistry registry() { return registry; }

    /** For modules without type instrumentations, which report themselves applied. */
    public InstrumentationOutcomes outcomes() { return outcomes; }
}
