package dev.yawlmetrics.agent.instrumentation;

/**
 * Rewrites one engine class, named exactly: the agent's class-load gate compares names before
 * any bytecode tooling is loaded, so a JVM that never loads a target pays nothing for it.
 */
public interface TypeInstrumentation {
    /** Fully qualified binary name, e.g. {@code org.yawlfoundation...AgentMarketplace}. */
    String targetClassName();

    /**
     * Checks that the loaded class still has the members the advice relies on.
     *
     * @return null when the class can be instrumented, otherwise one sentence saying what drifted
     *         (the class is then loaded unchanged, and the reason is logged and counted)
     */
    String checkShape(ClassShape type);

    /**
     * False while something the advice needs at run time does not exist yet (e.g. a bridge class
     * that the module defines in {@link InstrumentationModule#onAgentStarted}). The gate then
     * loads the class unchanged without counting it as skipped, and the start-up thread's
     * retransformation of already-loaded targets instruments it once the module is ready.
     */
    default boolean ready() {
        return true;
    }

    /**
     * True when {@link #transform} adds fields, methods or interfaces. The JVM rejects such changes
     * when retransforming an already-loaded class, so the gate then skips this instrumentation
     * (logged, counted as skipped) instead of failing the whole class.
     */
    default boolean addsMembers() {
        return false;
    }

    /** Adds this instrumentation's advice and members. Only called when {@link #checkShape} returned null. */
    void transform(Weaving weaving);
}
