package dev.yawlmetrics.agent.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the agent's settings from three sources into one {@link MetricsAgentConfig}.
 *
 * <p>Precedence, highest first: the agent argument string ({@code -javaagent:jar=port=9464,...}),
 * then system properties ({@code -Dyawl.metrics.port=...}), then environment variables
 * ({@code YAWL_METRICS_PORT}), then the defaults. The argument is written next to the agent
 * itself, so it is the most specific statement of intent.
 *
 * <p>Nothing here throws: a value that cannot be used is replaced by the default and one sentence
 * naming the setting, the bad value and what the agent does instead goes into
 * {@link MetricsAgentConfig#problems()}.
 */
public final class ConfigLoader {
    private final List<String> problems = new ArrayList<>();
    /** property name -> the raw value and where it came from; later sources overwrite earlier ones */
    private final Map<String, Raw> resolved = new HashMap<>();
    private final Map<String, String> knownByProperty = new LinkedHashMap<>();
    private final Map<String, String> propertyByEnv = new HashMap<>();
    private final Map<String, String> propertyByShortName = new HashMap<>();

    private ConfigLoader() {
        for (Setting<?> s : Setting.all()) {
            register(s.property());
        }
        for (InstrumentationName n : InstrumentationName.values()) {
            String property = Setting.switchOf(n).property();
            register(property);
            // "instrumentation.heartbeat.enabled" is accepted in agent args as well.
            propertyByShortName.put("instrumentation." + n.id() + ".enabled", property);
        }
    }

    private void register(String property) {
        knownByProperty.put(property, property);
        propertyByEnv.put(Setting.envNameOf(property), property);
        propertyByShortName.put(Setting.shortNameOf(property), property);
        propertyByShortName.put(property, property);
    }

    private record Raw(String value, Setting.Source source) {}

    public static MetricsAgentConfig load(String agentArgs, Map<String, String> systemProperties, Map<String, String> env) {
        return loadDecoded(AgentArgument.decode(agentArgs, List.of()), systemProperties, env);
    }

    static MetricsAgentConfig loadDecoded(AgentArgument.Decoded agentArgs, Map<String, String> systemProperties, Map<String, String> env) {
        ConfigLoader loader = new ConfigLoader();
        if (agentArgs.problem != null) {
            loader.problems.add(agentArgs.problem);
        }
        return loader.resolve(agentArgs, systemProperties, env);
    }

    /** Convenience for premain: the live system properties and environment. */
    public static MetricsAgentConfig fromEnvironment(String agentArgs) {
        Map<String, String> props = new HashMap<>();
        for (String name : System.getProperties().stringPropertyNames()) {
            if (name.startsWith(Setting.METRICS_PREFIX) || name.startsWith(Setting.INSTRUMENTATION_PREFIX)) {
                props.put(name, System.getProperty(name));
            }
        }
        // The JVM garbles a non-ASCII agent argument; the decoder recovers it from the command line.
        return loadDecoded(AgentArgument.decode(agentArgs), props, System.getenv());
    }

    private MetricsAgentConfig resolve(AgentArgument.Decoded agentArgs, Map<String, String> sysProps, Map<String, String> env) {
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
            resolved.put(property, new Raw(e.getValue(), new Setting.Source("environment variable " + key, false)));
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
            resolved.put(key, new Raw(e.getValue(), new Setting.Source("system property " + key, false)));
        }
        parseAgentArgs(agentArgs);

        Map<Setting<?>, Object> values = new HashMap<>();
        for (Setting<?> setting : Setting.all()) {
            values.put(setting, value(setting));
        }
        for (InstrumentationName n : InstrumentationName.values()) {
            values.put(Setting.switchOf(n), value(Setting.switchOf(n)));
        }
        return new MetricsAgentConfig(values, problems);
    }

    private <T> T value(Setting<T> setting) {
        Raw raw = resolved.get(setting.property());
        return raw == null ? setting.defaultValue() : setting.parse(raw.value(), raw.source(), problems);
    }

    private void parseAgentArgs(AgentArgument.Decoded decoded) {
        String agentArgs = decoded.value;
        if (agentArgs == null || agentArgs.isBlank()) {
            return;
        }
        List<String> pairs = new ArrayList<>();
        for (String raw : agentArgs.split(",")) {
            if (!raw.trim().isEmpty()) {
                pairs.add(raw.trim());
            }
        }
        if (decoded.lastSettingCut && !pairs.isEmpty()) {
            problems.add("agent argument '" + pairs.remove(pairs.size() - 1) + "' was cut short by the JVM; ignored");
        }
        Map<String, String> givenInArgument = new HashMap<>();
        for (String pair : pairs) {
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
            String earlier = givenInArgument.put(property, value);
            if (earlier != null) {
                problems.add("agent argument gives " + Setting.shortNameOf(property) + " twice ('" + earlier + "', then '"
                        + value + "'); using '" + value + "'");
            }
            resolved.put(property, new Raw(value, new Setting.Source("agent argument " + key, true)));
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
}
