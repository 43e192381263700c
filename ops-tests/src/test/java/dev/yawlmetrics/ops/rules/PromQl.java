package dev.yawlmetrics.ops.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The small, lexical PromQL checks a rules linter makes. Not a parser: promtool does the parsing
 * (RuleFilesTest runs it on the same expressions); this finds the design's classes of bugs:
 * no comparison in an alert, rate() over a gauge, windows too short for the scrape interval,
 * histogram_quantile over raw buckets. PromQlTest shows each check failing on the design's PromQL.
 */
final class PromQl {
    private PromQl() {}

    /** Gauges whose names end in a counter suffix (etcd 3.4 exports raft indexes and mvcc gauges so). */
    static final Set<String> GAUGES_WITH_COUNTER_SUFFIX = Set.of(
            "etcd_server_proposals_committed_total", "etcd_server_proposals_applied_total",
            "etcd_debugging_mvcc_watch_stream_total", "etcd_debugging_mvcc_watcher_total",
            "etcd_debugging_mvcc_keys_total", "etcd_debugging_mvcc_slow_watcher_total",
            "etcd_debugging_mvcc_pending_events_total", "etcd_disk_wal_write_bytes_total",
            "etcd_server_snapshot_apply_in_progress_total");

    /** Counters of other exporters whose names do not end in a counter suffix. */
    static final Set<String> EXTERNAL_COUNTERS = Set.of("etcd_server_health_failures", "etcd_server_health_success",
            "etcd_server_learner_promote_successes");

    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "by", "without", "on", "ignoring",
            "group_left", "group_right", "offset", "bool", "inf", "nan", "atan2");
    private static final Pattern IDENT = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern RANGE = Pattern.compile("\\[\\s*(\\d+)(ms|s|m|h|d|w|y)\\s*(?::[^\\]]*)?\\]");
    private static final Pattern COUNTER_FN = Pattern.compile("\\b(rate|irate|increase)\\s*\\(");

    /** Removes string literals (label values, regexes) so their content is never read as PromQL. */
    static String withoutStrings(String expr) {
        return expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"").replaceAll("'(?:[^'\\\\]|\\\\.)*'", "''")
                .replaceAll("`[^`]*`", "``");
    }

    static String withoutMatchers(String expr) {
        return withoutStrings(expr).replaceAll("\\{[^}]*}", "");
    }

    /** An alert expression must compare (or filter by a comparison), otherwise every series is an alert. */
    static boolean hasComparison(String expr) {
        return Pattern.compile("(>=|<=|==|!=|>|<)").matcher(withoutMatchers(expr)).find();
    }

    /** Every range window in seconds ([5m] -> 300; subquery ranges included). */
    static List<Long> rangeWindowsSeconds(String expr) {
        List<Long> out = new ArrayList<>();
        Matcher m = RANGE.matcher(withoutStrings(expr));
        while (m.find()) {
            long n = Long.parseLong(m.group(1));
            out.add(switch (m.group(2)) {
                case "ms" -> n / 1000;
                case "s" -> n;
                case "m" -> n * 60;
                case "h" -> n * 3600;
                case "d" -> n * 86400;
                case "w" -> n * 604800;
                default -> n * 31536000;
            });
        }
        return out;
    }

    /** The metric (or recorded series) that each rate/irate/increase call reads. */
    static List<String> counterFunctionArguments(String expr) {
        String e = withoutMatchers(expr);
        List<String> out = new ArrayList<>();
        Matcher m = COUNTER_FN.matcher(e);
        while (m.find()) {
            Matcher id = IDENT.matcher(e);
            if (id.find(m.end()) && e.substring(m.end(), id.start()).isBlank()) {
                out.add(id.group());
            } else {
                out.add("(not a plain selector: " + argument(e, m.end() - 1) + ")");
            }
        }
        return out;
    }

    /** Problems with rate/irate/increase arguments: they must be counters. */
    static List<String> counterProblems(String expr) {
        List<String> out = new ArrayList<>();
        for (String name : counterFunctionArguments(expr)) {
            // _count/_sum/_bucket only of histograms, whose names carry their unit here: the design's
            // counter "yawl_agent_reconnect_count" (exported as ..._count_total) must not pass as one.
            boolean counterLike = name.endsWith("_total") || EXTERNAL_COUNTERS.contains(name)
                    || name.matches(".*_(ms|seconds|milliseconds|bytes)_(count|sum|bucket)");
            if (!counterLike || GAUGES_WITH_COUNTER_SUFFIX.contains(name)) {
                out.add("rate/irate/increase over " + name + ", which is not a counter");
            }
        }
        return out;
    }

    /** Problems with histogram_quantile calls: the buckets must be summed by le (after rate). */
    static List<String> quantileProblems(String expr) {
        String e = withoutMatchers(expr);
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("\\bhistogram_quantile\\s*\\(").matcher(e);
        while (m.find()) {
            String args = argument(e, m.end() - 1);
            int comma = args.indexOf(',');
            String inner = comma < 0 ? "" : args.substring(comma + 1).strip();
            Matcher prefixBy = Pattern.compile("^sum\\s+by\\s*\\(([^)]*)\\)\\s*\\((.*)\\)$", Pattern.DOTALL).matcher(inner);
            Matcher suffixBy = Pattern.compile("^sum\\s*\\((.*)\\)\\s*by\\s*\\(([^)]*)\\)$", Pattern.DOTALL).matcher(inner);
            String grouping;
            String body;
            if (prefixBy.matches()) {
                grouping = prefixBy.group(1);
                body = prefixBy.group(2);
            } else if (suffixBy.matches()) {
                grouping = suffixBy.group(2);
                body = suffixBy.group(1);
            } else {
                out.add("histogram_quantile over '" + inner + "', not over sum by (le) (...)");
                continue;
            }
            if (!List.of(grouping.split("\\s*,\\s*")).contains("le")) {
                out.add("histogram_quantile over a sum that drops le: by (" + grouping + ")");
            }
            if (!body.matches("(?s).*\\b(rate|irate|increase)\\s*\\(.*") && !body.matches("(?s).*_bucket:rate\\w*.*")) {
                out.add("histogram_quantile over bucket counters that are not rated: " + body);
            }
        }
        return out;
    }

    /** Metric names an expression reads: selectors, not functions, keywords, label names or numbers. */
    static Set<String> metricNames(String expr) {
        String e = withoutMatchers(expr);
        e = e.replaceAll("\\[[^\\]]*\\]", " ");
        e = e.replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        e = e.replaceAll("\\boffset\\s+-?\\d+\\w*", " ");
        e = e.replaceAll("(?<![\\w:])\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?(?:ms|[smhdwy])?", " ");
        Set<String> out = new TreeSet<>();
        Matcher m = IDENT.matcher(e);
        while (m.find()) {
            String id = m.group();
            String rest = e.substring(m.end()).stripLeading();
            if (rest.startsWith("(") || KEYWORDS.contains(id.toLowerCase())) {
                continue;
            }
            out.add(id);
        }
        return out;
    }

    /** The text between the parenthesis at openIndex and its matching close. */
    static String argument(String e, int openIndex) {
        int depth = 0;
        for (int i = openIndex; i < e.length(); i++) {
            char c = e.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return e.substring(openIndex + 1, i);
            }
        }
        return e.substring(openIndex + 1);
    }

    /** Every linter problem of one expression (the comparison check is for alerts only). */
    static List<String> problems(String expr, boolean alert, long minWindowSeconds) {
        List<String> out = new ArrayList<>();
        if (alert && !hasComparison(expr)) {
            out.add("alert expression has no comparison");
        }
        out.addAll(counterProblems(expr));
        out.addAll(quantileProblems(expr));
        for (long w : rangeWindowsSeconds(expr)) {
            if (w < minWindowSeconds) {
                out.add("range window " + w + "s is shorter than twice the scrape interval (" + minWindowSeconds + "s)");
            }
        }
        return out;
    }
}
