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

    /**
     * Binary names of the engine classes this module rewrites, as plain constants: premain reads
     * only these (to register the class-load gate) and must not load Byte Buddy on the engine's
     * main thread. Must name exactly the targets of {@link #typeInstrumentations()} (unit-tested
     * for the shipped modules). The default derives them, which is correct but builds the type
     * instrumentations early: every shipped module overrides it with constants.
     */
    default List<String> targetClassNames() {
        java.util.List<String> names = new java.util.ArrayList<>();
        for (TypeInstrumentation t : typeInstrumentations()) {
            names.add(t.targetClassName());
        }
        return names;
    }

    /**
     * The engine classes this module rewrites; empty for modules that only bind meters. Called
     * lazily, off premain, when the first target loads or at warm-up.
     */
    List<TypeInstrumentation> typeInstrumentations();

    /**
     * What the install step binds to the module's {@link ModuleContext}: its recorders' meters
     * ({@code List.of(Recorder.METRICS)}), so a recorder gets its registry and configuration
     * handed to it. Bound once per attach, before any woven code of the module can run (when the
     * gate is about to return the first class it wove, or on the start-up thread before
     * {@link #onAgentStarted}, whichever is first); unbound at detach after
     * {@link #onAgentDetached}. Binding builds nothing (it may run inside the class-load gate).
     */
    default List<? extends ContextBound> boundToContext() {
        return List.of();
    }

    /**
     * Runs once on the agent's background start-up thread, after the registry exists. Modules
     * without type instrumentations mark themselves applied here when their work succeeded.
     */
    default void onAgentStarted(ModuleContext context) throws Exception {}

    /**
     * Runs once when a late-attached agent detaches, after its classes were restored and before
     * its meters are dropped: release whatever engine-side hooks {@link #onAgentStarted} installed.
     */
    default void onAgentDetached() throws Exception {}
}
