package dev.yawlmetrics.agent.instrumentation;

import dev.yawlmetrics.agent.config.AgentConfig;
import io.micrometer.core.instrument.MeterRegistry;

import java.lang.instrument.Instrumentation;

/** What a module gets when the agent is up. */
public final class AgentContext {
    private final Instrumentation instrumentation;
    private final AgentConfig config;
    private final MeterRegistry registry;

    public AgentContext(Instrumentation instrumentation, AgentConfig config, MeterRegistry registry) {
        this.instrumentation = instrumentation;
        this.config = config;
        this.registry = registry;
    }

    /** May be null in unit tests that run without an agent. */
    public Instrumentation instrumentation() { return instrumentation; }

    public AgentConfig config() { return config; }

    public MeterRegistry registry() { return registry; }
}
