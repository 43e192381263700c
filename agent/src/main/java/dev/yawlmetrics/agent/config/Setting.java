package dev.yawlmetrics.agent.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Every setting the agent reads, each with everything there is to know about it: the system
 * property, its environment-variable twin (upper case, dots and dashes as underscores), the short
 * name for the agent argument string, the typed default, the accepted values and the parser. The
 * loader, the README's configuration table (checked by a test) and the log lines all come from
 * here. Per-instrumentation switches are derived from {@link InstrumentationName}.
 *
 * @param <T> the type the setting resolves to
 */
public final class Setting<T> {
    public static final String METRICS_PREFIX = "yawl.metrics.";
    public static final String INSTRUMENTATION_PREFIX = "yawl.instrumentation.";

    /**
     * Turns one raw value into a typed one. An unusable value throws {@link IllegalArgumentException}
     * whose message says why ("is not a number"); the default then applies. Problems that drop
     * only a part of the value (one bad tag) go to {@code problems}.
     */
    interface Parser<T> {
        T parse(String raw, Source source, List<String> problems);
    }

    /** Where a raw value came from; parsers that split lists need to know (',' separates agent arguments). */
    public record Source(String description, boolean agentArgument) {
        @Override
        public String toString() {
            return description;
        }
    }

    private static final List<Setting<?>> ALL = new ArrayList<>();

    public static final Setting<Boolean> ENABLED = bool("yawl.metrics.enabled", true,
            "master switch: `false` = nothing instrumented, no port opened");
    public static final Setting<Integer> PORT = integer("yawl.metrics.port", 9464, 0, 65535,
            "endpoint port, `0` = ephemeral (the chosen port is logged)");
    public static final Setting<String> HOST = new Setting<>("yawl.metrics.host", "0.0.0.0", "a host name or address",
            "bind address",
            (raw, source, problems) -> {
                String v = raw.trim();
                if (v.isEmpty() || v.contains("/") || v.contains(" ")) {
                    throw new IllegalArgumentException("is not a host name or address");
                }
                return v;
            });
    public static final Setting<String> PATH = new Setting<>("yawl.metrics.path", "/metrics", "a path below `/`",
            "metrics path (`/` is the index page)",
            (raw, source, problems) -> {
                String v = raw.trim();
                if (!v.startsWith("/") || v.length() < 2 || v.contains("?") || v.contains("#") || v.matches(".*\\s.*")) {
                    throw new IllegalArgumentException("is not a usable path (must start with '/', not be '/' itself, no '?' or spaces)");
                }
                while (v.length() > 1 && v.endsWith("/")) {
                    v = v.substring(0, v.length() - 1);
                }
                return v;
            });
    public static final Setting<Map<String, String>> TAGS = new Setting<>("yawl.metrics.tags", Map.of(), "`k=v;k=v`",
            "labels on every series: `cluster=prod;pod=engine-0` (`,` also separates outside the agent argument). "
                    + "Names Prometheus or the agent already use (`le`, `job`, `instance`, `outcome`, `state`, ...) are refused",
            Setting::tags);
    public static final Setting<Integer> HTTP_THREADS = integer("yawl.metrics.http.threads", 2, 1, 16,
            "scrapes served at the same time; one more gets `503` + `Retry-After` at once");
    public static final Setting<String> WEB_CONFIG_FILE = new Setting<>("yawl.metrics.web.config.file", "", "a file path",
            "TLS, mutual TLS and basic auth from a Prometheus exporter-toolkit web config file; see [Securing the endpoint](#securing-the-endpoint)",
            (raw, source, problems) -> raw.trim());
    public static final Setting<Integer> HTTPCLIENT_CAPACITY = integer("yawl.instrumentation.httpclient.capacity", 256, 1, 1_000_000,
            "nominal in-flight capacity behind `yawl_http_client_pool_utilization_percent`");
    public static final Setting<List<String>> HTTPCLIENT_HOSTS = new Setting<>("yawl.instrumentation.httpclient.hosts", List.of(),
            "host names", "`;`-separated allowlist of hosts that may appear as a `host` label", Setting::hosts);
    public static final Setting<Boolean> DEBUG = bool("yawl.metrics.debug", false, "debug log lines");
    public static final Setting<Boolean> DEBUG_FAIL_RECORDING = bool("yawl.metrics.debug.fail-recording", false,
            "test-only fault injection: every instrumentation meter fails (proves engine code is unaffected)");

    public static final Setting<String> DEBUG_DUMP_DIR = new Setting<>("yawl.metrics.debug.dump-dir", "", "a directory",
            "writes each target's original and woven class file there (`<class>.original.class`, `<class>.woven.class`), "
                    + "for chasing a verifier error; empty = off",
            (raw, source, problems) -> {
                String v = raw.trim();
                if (v.indexOf('\0') >= 0) {
                    throw new IllegalArgumentException("is not a directory name");
                }
                return v;
            });

    private static final Map<InstrumentationName, Setting<Boolean>> SWITCHES = new LinkedHashMap<>();

    static {
        for (InstrumentationName n : InstrumentationName.values()) {
            SWITCHES.put(n, new Setting<>(INSTRUMENTATION_PREFIX + n.id() + ".enabled", true, "`true`, `false`",
                    "switches the " + n.id() + " instrumentation", Setting::bool));
        }
    }

    private final String property;
    private final T defaultValue;
    private final String accepted;
    private final String description;
    private final Parser<T> parser;

    private Setting(String property, T defaultValue, String accepted, String description, Parser<T> parser) {
        this.property = property;
        this.defaultValue = defaultValue;
        this.accepted = accepted;
        this.description = description;
        this.parser = parser;
        if (!property.startsWith(INSTRUMENTATION_PREFIX) || !property.endsWith(".enabled")) {
            ALL.add(this); // the per-instrumentation switches are listed by switchOf, not here
        }
    }

    private static Setting<Boolean> bool(String property, boolean def, String description) {
        return new Setting<>(property, def, "`true`, `false`", description, Setting::bool);
    }

    private static Setting<Integer> integer(String property, int def, int min, int max, String description) {
        return new Setting<>(property, def, min + ".." + max, description,
                (raw, source, problems) -> {
                    int v;
                    try {
                        v = Integer.parseInt(raw.trim());
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("is not a number");
                    }
                    if (v < min || v > max) {
                        throw new IllegalArgumentException("is out of range " + min + ".." + max);
                    }
                    return v;
                });
    }

    /** The settings above, in declaration order; the per-instrumentation switches are {@link #switchOf}. */
    public static List<Setting<?>> all() {
        return Collections.unmodifiableList(ALL);
    }

    public static Setting<Boolean> switchOf(InstrumentationName name) {
        return SWITCHES.get(name);
    }

    public String property() { return property; }

    public T defaultValue() { return defaultValue; }

    /** The accepted values, as the README states them. */
    public String accepted() { return accepted; }

    public String description() { return description; }

    public String envName() { return envNameOf(property); }

    /** Short name accepted in the agent argument string: the property without its prefix. */
    public String shortName() { return shortNameOf(property); }

    /**
     * @return the typed value; the default when {@code raw} is unusable, after one sentence
     *         naming the source, the value and the reason went to {@code problems}
     */
    T parse(String raw, Source source, List<String> problems) {
        try {
            return parser.parse(raw, source, problems);
        } catch (IllegalArgumentException e) {
            problems.add(source + "='" + raw + "' " + e.getMessage() + "; using " + defaultValue);
            return defaultValue;
        }
    }

    public static String envNameOf(String property) {
        return property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public static String shortNameOf(String property) {
        if (property.startsWith(METRICS_PREFIX)) {
            return property.substring(METRICS_PREFIX.length());
        }
        if (property.startsWith(INSTRUMENTATION_PREFIX)) {
            return property.substring(INSTRUMENTATION_PREFIX.length());
        }
        return property;
    }

    @Override
    public String toString() {
        return property;
    }

    // --- parsers --------------------------------------------------------------------------

    private static Boolean bool(String raw, Source source, List<String> problems) {
        String v = raw.trim().toLowerCase(Locale.ROOT);
        if (v.equals("true") || v.equals("false")) {
            return Boolean.valueOf(v);
        }
        throw new IllegalArgumentException("is not true or false");
    }

    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    /**
     * Labels that Prometheus or the agent's own meters already use; a common tag with one of
     * these names would be silently overridden by Micrometer or clash with the target labels.
     */
    static final Set<String> RESERVED_LABELS = Set.of(
            "le", "quantile", "job", "instance", "outcome", "state", "from", "to", "query", "query_type",
            "operation", "reason", "level", "instrumentation", "version", "method", "status_class",
            "host", "gc", "area", "id", "cause", "action", "code");

    /** Longer tag values are dropped: a tag is on every series, so its length multiplies the scrape. */
    static final int MAX_TAG_VALUE_LENGTH = 256;
    /** More tags are dropped: each one is a label on every series. */
    static final int MAX_TAGS = 16;

    /** Each bad tag is dropped on its own (and reported); the good ones still apply. */
    private static Map<String, String> tags(String raw, Source source, List<String> problems) {
        Map<String, String> tags = new LinkedHashMap<>();
        // ';' always separates; ',' too where it cannot be confused with the agent argument separator.
        String separators = source.agentArgument() ? ";" : "[;,]";
        for (String item : raw.split(separators)) {
            String pair = item.trim();
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = eq > 0 ? pair.substring(0, eq).trim() : "";
            String value = eq > 0 ? pair.substring(eq + 1).trim() : "";
            if (key.isEmpty() || value.isEmpty()) {
                problems.add(source + ": tag '" + pair + "' is not key=value; tag dropped");
            } else if (!LABEL_NAME.matcher(key).matches() || key.startsWith("__")) {
                problems.add(source + ": tag name '" + key + "' is not a valid Prometheus label name; tag dropped");
            } else if (RESERVED_LABELS.contains(key)) {
                problems.add(source + ": tag name '" + key + "' is reserved (used by Prometheus or by the agent's own labels); tag dropped");
            } else if (value.length() > MAX_TAG_VALUE_LENGTH) {
                problems.add(source + ": tag '" + key + "' has a value of " + value.length() + " characters, more than "
                        + MAX_TAG_VALUE_LENGTH + "; tag dropped");
            } else if (tags.containsKey(key)) {
                problems.add(source + ": tag '" + key + "' given twice ('" + tags.get(key) + "', then '" + value + "'); using '" + value + "'");
                tags.put(key, value);
            } else if (tags.size() == MAX_TAGS) {
                problems.add(source + ": more than " + MAX_TAGS + " tags; tag '" + key + "' dropped");
            } else {
                tags.put(key, value);
            }
        }
        return Collections.unmodifiableMap(tags);
    }

    private static List<String> hosts(String raw, Source source, List<String> problems) {
        List<String> out = new ArrayList<>();
        for (String item : raw.split("[;,]")) {
            String v = item.trim().toLowerCase(Locale.ROOT);
            if (!v.isEmpty()) {
                out.add(v);
            }
        }
        return List.copyOf(out);
    }
}
