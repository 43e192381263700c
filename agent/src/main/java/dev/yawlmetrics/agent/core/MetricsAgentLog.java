package dev.yawlmetrics.agent.core;

import java.io.PrintStream;

/**
 * The agent's only logger. It writes single lines to stderr with a fixed prefix so operators can
 * grep for them, and it deliberately avoids java.util.logging / SLF4J: touching the engine's
 * logging framework from premain would initialise it before the engine configures it.
 */
public final class MetricsAgentLog {
    public static final String PREFIX = "[yawl-metrics-agent] ";

    private static volatile PrintStream out = System.err;
    private static volatile boolean debug;

    private MetricsAgentLog() {}

    /** From {@code yawl.metrics.debug}, set once the configuration is read. */
    public static void debug(boolean on) {
        debug = on;
    }

    public static void info(String message) { write("INFO ", message); }

    public static void warn(String message) { write("WARN ", message); }

    public static void error(String message) { write("ERROR ", message); }

    public static void debug(String message) {
        if (debug) {
            write("DEBUG ", message);
        }
    }

    private static void write(String level, String message) {
        try {
            out.println(PREFIX + level + message);
        } catch (Throwable ignored) {
            // A closed stderr must never turn into an exception in engine code.
        }
    }
}
