package dev.yawlmetrics.agent.config;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the agent's settings from three sources into one {@link AgentConfig}.
 *
 * <p>Precedence, highest first: the agent argument string ({@code -javaagent:jar=port=9464,...}),
 * then system properties ({@code -Dyawl.metrics.port=...}), then environment variables
 * ({@code YAWL_METRICS_PORT}), then the defaults. The argument is written next to the agent
 * itself, so it is the most specific statement of intent.
 *
 * <p>Nothing here throws: a value that cannot be used is replaced by the default and one sentence
 * naming the setting, the bad value and what the agent does instead goes into
 * {@link AgentConfig#problems()}.
 */
public final class ConfigLoader {
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    /**
     * Labels that Prometheus or the agent's own meters already use; a common tag with one of
     * these names would be silently overridden by Micrometer or clash with the target labels.
     */
    private static final Set<String> RESERVED_LABELS = Set.of(
            "le", "quantile", "job", "instance", "outcome", "state", "from", "to", "query", "query_type",
            "operation", "reason", "level", "instrumentation", "version", "method", "status_class",
            "host", "gc", "area", "id", "cause", "action", "code");
    /** Settings that are read elsewhere but must not be reported as unknown. */
    private static final Set<String> OTHER_KNOWN = Set.of("yawl.metrics.debug", "yawl.metrics.debug.fail-recording");

    private final List<String> problems = new ArrayList<>();
    /** property name -> [value, source description] */
    private final Map<String, String[]> resolved = new HashMap<>();
    private final Map<String, String> knownByProperty = new LinkedHashMap<>();
    private final Map<String, String> propertyByEnv = new HashMap<>();
    private final Map<String, String> propertyByShortName = new HashMap<>();

    private ConfigLoader() {
        for (Setting s : Setting.values()) {
            register(s.property());
        }
        for (InstrumentationName n : InstrumentationName.values()) {
            register(Setting.enabledProperty(n));
            // "instrumentation.heartbeat.enabled" is accepted in agent args as well.
            propertyByShortName.put("instrumentation." + n.id() + ".enabled", Setting.enabledProperty(n));
        }
        for (String p : OTHER_KNOWN) {
            register(p);
        }
    }

    private void register(String property) {
        knownByProperty.put(property, property);
        propertyByEnv.put(Setting.envNameOf(property), property);
        propertyByShortName.put(Setting.shortNameOf(property), property);
        propertyByShortName.put(property, property);
    }

    public static AgentConfig load(String agentArgs, Map<String, String> systemProperties, Map<String, String> env) {
        return new ConfigLoader().resolve(agentArgs, systemProperties, env);
    }

    /** Convenience for premain: the live system properties and environment. */
    public static AgentConfig fromEnvironment(String agentArgs) {
        Map<String, String> props = new HashMap<>();
        for (String name : System.getProperties().stringPropertyNames()) {
            if (name.startsWith(Setting.METRICS_PREFIX) || name.startsWith(Setting.INSTRUMENTATION_PREFIX)) {
                props.put(name, System.getProperty(name));
            }
        }
        return load(agentArgs, props, System.getenv());
    }

    private AgentConfig resolve(String agentArgs, Map<String, String> sysProps, Map<String, String> env) {
        // Lowest precedence first; later sources overwrite earlier ones.
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(env).entrySet()) {
            String key = e.getKey();
            if (!key.startsWith("YAWL_METRICS_") && !key.startsWith("YAWL_INSTRUMENTATION_")) {
                continue;
            }
            String property = propertyByEnv.get(key);
            if (property == null) {
                unknown("environment variable " + key, instrumentationOfEnv(key));
                continue;
            }
            resolved.put(property, new String[] {e.getValue(), "environment variable " + key});
        }
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(sysProps).entrySet()) {
            String key = e.getKey();
            if (!key.startsWith(Setting.METRICS_PREFIX) && !key.startsWith(Setting.INSTRUMENTATION_PREFIX)) {
                continue;
            }
            if (!knownByProperty.containsKey(key)) {
                unknown("system property " + key, instrumentationOfProperty(key));
                continue;
            }
            resolved.put(key, new String[] {e.getValue(), "system property " + key});
        }
        parseAgentArgs(agentArgs);

        boolean enabled = bool(Setting.ENABLED.property(), true);
        int port = integer(Setting.PORT.property(), 9464, 0, 65535);
        String host = host();
        String path = path();
        Map<String, String> tags = tags();
        int threads = integer(Setting.HTTP_THREADS.property(), 2, 1, 16);
        Set<InstrumentationName> on = EnumSet.noneOf(InstrumentationName.class);
        for (InstrumentationName n : InstrumentationName.values()) {
            if (bool(Setting.enabledProperty(n), true)) {
                on.add(n);
            }
        }
        int capacity = integer(Setting.HTTPCLIENT_CAPACITY.property(), 256, 1, 1_000_000);
        List<String> hosts = list(Setting.HTTPCLIENT_HOSTS.property());
        String[] webConfig = raw(Setting.WEB_CONFIG_FILE.property());
        return new AgentConfig(enabled, port, host, path, tags, threads, on, capacity, hosts, problems,
                webConfig == null ? "" : webConfig[0].trim());
    }

    private void parseAgentArgs(String agentArgs) {
        if (agentArgs == null || agentArgs.isBlank()) {
            return;
        }
        for (String raw : agentArgs.split(",")) {
            String pair = raw.trim();
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                problems.add("agent argument '" + pair + "' is malformed (expected key=value, e.g. port=9464); ignored");
                continue;
            }
            String key = pair.substring(0, eq).trim();
            String value = pair.substring(eq + 1).trim();
            String property = propertyByShortName.get(key);
            if (property == null) {
                unknown("agent argument " + key, instrumentationOfProperty(
                        key.startsWith("yawl.") ? key : Setting.INSTRUMENTATION_PREFIX + key.replaceFirst("^instrumentation\\.", "")));
                continue;
            }
            resolved.put(property, new String[] {value, "agent argument " + key});
        }
    }

    private void unknown(String where, String instrumentation) {
        if (instrumentation != null && InstrumentationName.fromId(instrumentation) == null) {
            problems.add(where + " names unknown instrumentation '" + instrumentation + "' (known: "
                    + InstrumentationName.knownIds() + "); ignored");
        } else {
            problems.add(where + " is not a setting of this agent; ignored");
        }
    }

    /** "yawl.instrumentation.foo.enabled" -> "foo"; null if the key has another shape. */
    private static String instrumentationOfProperty(String key) {
        if (key.startsWith(Setting.INSTRUMENTATION_PREFIX) && key.endsWith(".enabled")) {
            String middle = key.substring(Setting.INSTRUMENTATION_PREFIX.length(), key.length() - ".enabled".length());
            return middle.isEmpty() || middle.contains(".") ? null : middle;
        }
        return null;
    }

    private static String instrumentationOfEnv(String key) {
        if (key.startsWith("YAWL_INSTRUMENTATION_") && key.endsWith("_ENABLED")) {
            String middle = key.substring("YAWL_INSTRUMENTATION_".length(), key.length() - "_ENABLED".length());
            return middle.isEmpty() ? null : middle.toLowerCase(Locale.ROOT);
        }
        return null;
    }

    private String[] raw(String property) {
        return resolved.get(property);
    }

    private void bad(String[] raw, String why, Object fallback) {
        problems.add(raw[1] + "='" + raw[0] + "' " + why + "; using " + fallback);
    }

    private boolean bool(String property, boolean def) {
        String[] raw = raw(property);
        if (raw == null) {
            return def;
        }
        String v = raw[0].trim().toLowerCase(Locale.ROOT);
        if (v.equals("true")) {
            return true;
        }
        if (v.equals("false")) {
            return false;
        }
        bad(raw, "is not true or false", def);
        return def;
    }

    private int integer(String property, int def, int min, int max) {
        String[] raw = raw(property);
        if (raw == null) {
            return def;
        }
        int v;
        try {
            v = Integer.parseInt(raw[0].trim());
        } catch (NumberFormatException e) {
            bad(raw, "is not a number", def);
            return def;
        }
        if (v < min || v > max) {
            bad(raw, "is out of range " + min + ".." + max, def);
            return def;
        }
        return v;
    }

    private String host() {
        String def = Setting.HOST.defaultValue();
        String[] raw = raw(Setting.HOST.property());
        if (raw == null) {
            return def;
        }
        String v = raw[0].trim();
        if (v.isEmpty() || v.contains("/") || v.contains(" ")) {
            bad(raw, "is not a host name or address", def);
            return def;
        }
        return v;
    }

    private String path() {
        String def = Setting.PATH.defaultValue();
        String[] raw = raw(Setting.PATH.property());
        if (raw == null) {
            return def;
        }
        String v = raw[0].trim();
        if (!v.startsWith("/") || v.length() < 2 || v.contains("?") || v.contains("#") || v.matches(".*\\s.*")) {
            bad(raw, "is not a usable path (must start with '/', not be '/' itself, no '?' or spaces)", def);
            return def;
        }
        while (v.length() > 1 && v.endsWith("/")) {
            v = v.substring(0, v.length() - 1);
        }
        return v;
    }

    private Map<String, String> tags() {
        Map<String, String> tags = new LinkedHashMap<>();
        String[] raw = raw(Setting.TAGS.property());
        if (raw == null || raw[0].isBlank()) {
            return tags;
        }
        // ';' always separates; ',' too where it cannot be confused with the agent argument separator.
        String separators = raw[1].startsWith("agent argument") ? ";" : "[;,]";
        for (String item : raw[0].split(separators)) {
            String pair = item.trim();
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = eq > 0 ? pair.substring(0, eq).trim() : "";
            String value = eq > 0 ? pair.substring(eq + 1).trim() : "";
            if (key.isEmpty() || value.isEmpty()) {
                problems.add(raw[1] + ": tag '" + pair + "' is not key=value; tag dropped");
            } else if (!LABEL_NAME.matcher(key).matches() || key.startsWith("__")) {
                problems.add(raw[1] + ": tag name '" + key + "' is not a valid Prometheus label name; tag dropped");
            } else if (RESERVED_LABELS.contains(key)) {
                problems.add(raw[1] + ": tag name '" + key + "' is reserved (used by Prometheus or by the agent's own labels); tag dropped");
            } else {
                tags.put(key, value);
            }
        }
        return tags;
    }

    private List<String> list(String property) {
        String[] raw = raw(property);
        List<String> out = new ArrayList<>();
        if (raw == null) {
            return out;
        }
        for (String item : raw[0].split("[;,]")) {
            String v = item.trim().toLowerCase(Locale.ROOT);
            if (!v.isEmpty()) {
                out.add(v);
            }
        }
        return out;
    }
}
