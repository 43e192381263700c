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

    /** Sends the lines elsewhere, returning where they went before (for tests that read them). */
    public static PrintStream redirect(PrintStream to) {
        PrintStream before = out;
        out = to;
        return before;
    }

    public static boolean debugEnabled() {
        return debug;
    }

    public static void info(String message) { write("INFO ", message); }

    public static void warn(String message) { write("WARN ", message); }

    public static void error(String message) { write("ERROR ", message); }

    public static void debug(String message) {
        if (debug) {
            write("DEBUG ", message);
        }
    }

    /**
     * Values echoed into a line (settings, request data, exception messages) may carry control
     * characters; written raw, a newline would let any setting forge a line of its own. Every
     * control character becomes a visible escape, so one call is always exactly one line.
     */
    static final int MAX_LINE = 2000;

    public static String escape(String message) {
        if (message == null) {
            return "null";
        }
        if (message.length() > MAX_LINE) {
            // A setting or request can be megabytes; the engine's log gets a bounded line.
            message = message.substring(0, MAX_LINE) + "... (" + message.length() + " characters)";
        }
        StringBuilder sb = null;
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            boolean control = c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\u2028' || c == '\u2029';
            if (control && sb == null) {
                sb = new StringBuilder(message.length() + 16).append(message, 0, i);
            }
            if (sb == null) {
                continue;
            }
            if (!control) {
                sb.append(c);
            } else if (c == '\n') {
                sb.append("\\n");
            } else if (c == '\r') {
                sb.append("\\r");
            } else if (c == '\t') {
                sb.append("\\t");
            } else {
                sb.append(String.format("\\u%04x", (int) c));
            }
        }
        return sb == null ? message : sb.toString();
    }

    private static void write(String level, String message) {
        try {
            out.println(PREFIX + level + escape(message));
        } catch (Throwable ignored) {
            // A closed stderr must never turn into an exception in engine code.
        }
    }
}
