package dev.yawlmetrics.agent.instrumentation;

import dev.yawlmetrics.agent.config.InstrumentationName;

import java.util.List;

/**
 * One instrumentation: a name an operator can switch off, the engine classes it rewrites, and
 * anything it must do once the agent is up (gauges that read engine objects, JVM binders, module
 * access). Implementations live in their own package with their matchers, advice and meters, and
 * are registered in {@link Instrumentations#ALL}.
 */
public interface InstrumentationModule {
    InstrumentationName name();

    /** The engine classes this module rewrites; empty for modules that only bind meters. */
    List<TypeInstrumentation> typeInstrumentations();

    /**
     * Runs once on the agent's background start-up thread, after the registry exists. Modules
     * without type instrumentations mark themselves applied here when their work succeeded.
     */
    default void onAgentStarted(AgentContext context) throws Exception {}
}
