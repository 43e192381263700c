package dev.yawlmetrics.agent.instrumentation;

import dev.yawlmetrics.agent.config.InstrumentationName;

/**
 * Where the gate and the modules report what happened to an instrumentation. The weaver knows
 * nothing of meters: the metrics side implements this ({@code MetricsAgentHealth}) and the
 * entry point hands it in.
 */
public interface InstrumentationOutcomes {
    /** The instrumentation's target was transformed (or, for a module without targets, its work succeeded). */
    void applied(InstrumentationName name);

    /** A target was left unchanged on purpose: shape drift, late attach of a member-adding rewrite, invisible agent. */
    void skipped(InstrumentationName name);

    /** A transformation or a module's start-up failed; the class loads unchanged. */
    void transformationError(InstrumentationName name);

    /** Reports nowhere; for unit tests of the weaver. */
    InstrumentationOutcomes NONE = new InstrumentationOutcomes() {
        @Override public void applied(InstrumentationName name) {}
        @Override public void skipped(InstrumentationName name) {}
        @Override public void transformationError(InstrumentationName name) {}
    };
}
