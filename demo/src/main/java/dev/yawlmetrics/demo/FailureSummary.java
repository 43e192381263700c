package dev.yawlmetrics.demo;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Folds the fixture's per-agent failure lines ("[fixture] heartbeat agent-7 failed:
 * java.net.ConnectException") into counts by operation and exception class, printed as one line
 * every few seconds: during an etcd outage 10,000 agents fail once per period each, and one line
 * per failure would bury the progress lines.
 */
final class FailureSummary {
    private static final Pattern FAILURE = Pattern.compile("^\\[fixture\\] (\\w+)(?: \\S+)? failed: (.*)$");
    private static final Pattern EXCEPTION = Pattern.compile("^([\\w$]+(?:\\.[\\w$]+)+)(?::.*)?$");

    private final Map<String, Long> counts = new TreeMap<>();

    /** True when the line was a fixture failure and is now counted (so it must not be printed). */
    synchronized boolean offer(String line) {
        Matcher m = FAILURE.matcher(line.trim());
        if (!m.matches()) {
            return false;
        }
        counts.merge(m.group(1) + " failed with " + exceptionClass(m.group(2)), 1L, Long::sum);
        return true;
    }

    static String exceptionClass(String detail) {
        Matcher m = EXCEPTION.matcher(detail.trim());
        if (m.matches()) {
            return m.group(1);
        }
        // an older engine log line that printed only the message, which a ConnectException lacks
        return detail.isBlank() || detail.trim().equals("null") ? "an exception the log line does not name" : "\"" + detail.trim() + "\"";
    }

    /** The counts since the last call as one line, or null when nothing failed; resets. */
    synchronized String drain(long seconds) {
        if (counts.isEmpty()) {
            return null;
        }
        StringBuilder sb = new StringBuilder("[demo] engine log, last " + seconds + " s: ");
        String sep = "";
        for (Map.Entry<String, Long> e : counts.entrySet()) {
            sb.append(sep).append(String.format(Locale.ROOT, "%,d x ", e.getValue())).append(e.getKey());
            sep = "; ";
        }
        counts.clear();
        return sb.toString();
    }
}
