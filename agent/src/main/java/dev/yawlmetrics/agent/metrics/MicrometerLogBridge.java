package dev.yawlmetrics.agent.metrics;

import dev.yawlmetrics.agent.core.MetricsAgentLog;
import dev.yawlmetrics.agent.core.RateLimitedLog;
import io.micrometer.common.util.internal.logging.AbstractInternalLogger;
import io.micrometer.common.util.internal.logging.InternalLogger;
import io.micrometer.common.util.internal.logging.InternalLoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * Sends the (relocated) Micrometer's own log messages to {@link MetricsAgentLog}.
 *
 * <p>Left alone, Micrometer picks its logger on first use: it probes for SLF4J on the class path
 * (the real {@code org.slf4j}, which relocation does not touch, so an engine that ships SLF4J would
 * get its logging framework initialised from our start-up thread, before the engine configures
 * it) and otherwise initialises {@code java.util.logging}'s LogManager (which reads
 * {@code java.util.logging.manager} and the logging configuration: Tomcat's JULI, for instance,
 * would be set up by us, early). Both also cost start-up time: the failed SLF4J probe throws, and
 * the LogManager loads about 20 classes and reads a file, on a 2-core machine ~20 ms of the
 * agent's start-up. Warnings and errors become the agent's WARN lines, at most one a minute per
 * Micrometer logger (the rest counted in the next line); the rest only with {@code yawl.metrics.debug=true}.
 */
public final class MicrometerLogBridge extends InternalLoggerFactory {
    private static final MicrometerLogBridge INSTANCE = new MicrometerLogBridge();

    private MicrometerLogBridge() {}

    /** Idempotent; must run before the first Micrometer class asks for its logger. */
    public static void install() {
        InternalLoggerFactory.setDefaultFactory(INSTANCE);
    }

    @Override
    protected InternalLogger newInstance(String name) {
        return new Logger(name);
    }

    /** "{}" placeholders filled in order; a Throwable left over as the last argument is appended. */
    static String format(String pattern, Object... args) {
        String p = String.valueOf(pattern);
        if (args == null || args.length == 0) {
            return p;
        }
        StringBuilder sb = new StringBuilder(p.length() + 32);
        int from = 0;
        int used = 0;
        while (used < args.length) {
            int at = p.indexOf("{}", from);
            if (at < 0) {
                break;
            }
            sb.append(p, from, at).append(String.valueOf(args[used++]));
            from = at + 2;
        }
        sb.append(p, from, p.length());
        if (used < args.length && args[args.length - 1] instanceof Throwable) {
            sb.append(": ").append(args[args.length - 1]);
        }
        return sb.toString();
    }

    private static final class Logger extends AbstractInternalLogger {
        private static final long serialVersionUID = 1L;
        private final String prefix;
        /** Micrometer may warn on every failed registration: one line a minute per logger, the rest counted. */
        private final transient RateLimitedLog limited;

        Logger(String name) {
            super(name);
            this.prefix = "micrometer (" + name.substring(name.lastIndexOf('.') + 1) + ")";
            this.limited = new RateLimitedLog(prefix, 60, TimeUnit.SECONDS);
        }

        /** Formats only when debug is on: Micrometer calls debug() without checking first. */
        private void quiet(String pattern, Object... args) {
            if (MetricsAgentLog.debugEnabled()) {
                MetricsAgentLog.debug(prefix + ": " + format(pattern, args));
            }
        }

        private void loud(String pattern, Object... args) {
            limited.warn(format(pattern, args));
        }

        @Override public boolean isTraceEnabled() { return false; }
        @Override public void trace(String msg) {}
        @Override public void trace(String format, Object arg) {}
        @Override public void trace(String format, Object a, Object b) {}
        @Override public void trace(String format, Object... args) {}
        @Override public void trace(String msg, Throwable t) {}

        @Override public boolean isDebugEnabled() { return MetricsAgentLog.debugEnabled(); }
        @Override public void debug(String msg) { quiet(msg); }
        @Override public void debug(String format, Object arg) { quiet(format, arg); }
        @Override public void debug(String format, Object a, Object b) { quiet(format, a, b); }
        @Override public void debug(String format, Object... args) { quiet(format, args); }
        @Override public void debug(String msg, Throwable t) { quiet(msg, t); }

        @Override public boolean isInfoEnabled() { return MetricsAgentLog.debugEnabled(); }
        @Override public void info(String msg) { quiet(msg); }
        @Override public void info(String format, Object arg) { quiet(format, arg); }
        @Override public void info(String format, Object a, Object b) { quiet(format, a, b); }
        @Override public void info(String format, Object... args) { quiet(format, args); }
        @Override public void info(String msg, Throwable t) { quiet(msg, t); }

        // Warnings and errors alike: one WARN line (the engine runs on either way).
        @Override public boolean isWarnEnabled() { return true; }
        @Override public void warn(String msg) { loud(msg); }
        @Override public void warn(String format, Object arg) { loud(format, arg); }
        @Override public void warn(String format, Object... args) { loud(format, args); }
        @Override public void warn(String format, Object a, Object b) { loud(format, a, b); }
        @Override public void warn(String msg, Throwable t) { loud(msg, t); }

        @Override public boolean isErrorEnabled() { return true; }
        @Override public void error(String msg) { loud(msg); }
        @Override public void error(String format, Object arg) { loud(format, arg); }
        @Override public void error(String format, Object a, Object b) { loud(format, a, b); }
        @Override public void error(String format, Object... args) { loud(format, args); }
        @Override public void error(String msg, Throwable t) { loud(msg, t); }
    }
}
