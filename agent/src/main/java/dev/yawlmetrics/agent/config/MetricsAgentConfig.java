package dev.yawlmetrics.agent.config;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Java agent's configuration, resolved once at start-up by {@link ConfigLoader} and never
 * changed afterwards. Every value is already valid: bad input was replaced by the default and
 * reported in {@link #problems()}. Each {@link Setting} has its typed accessor here.
 */
public final class MetricsAgentConfig {
    private final Map<Setting<?>, Object> values;
    private final List<String> problems;

    MetricsAgentConfig(Map<Setting<?>, Object> values, List<String> problems) {
        this.values = new HashMap<>(values);
        this.problems = List.copyOf(problems);
    }

    /** Defaults only; what the agent runs with when nothing is configured. */
    public static MetricsAgentConfig defaults() {
        return ConfigLoader.load(null, Map.of(), Map.of());
    }

    @SuppressWarnings("unchecked")
    public <T> T get(Setting<T> setting) {
        Object v = values.get(setting);
        return v == null ? setting.defaultValue() : (T) v;
    }

    public boolean enabled() { return get(Setting.ENABLED); }

    public int port() { return get(Setting.PORT); }

    public String host() { return get(Setting.HOST); }

    public String path() { return get(Setting.PATH); }

    public Map<String, String> commonTags() { return get(Setting.TAGS); }

    public int httpThreads() { return get(Setting.HTTP_THREADS); }

    /** The web config file (TLS, basic auth); empty = plain HTTP without authentication. */
    public String webConfigFile() { return get(Setting.WEB_CONFIG_FILE); }

    public boolean isEnabled(InstrumentationName name) {
        return enabled() && get(Setting.switchOf(name));
    }

    public Set<InstrumentationName> enabledInstrumentations() {
        Set<InstrumentationName> on = EnumSet.noneOf(InstrumentationName.class);
        for (InstrumentationName n : InstrumentationName.values()) {
            if (get(Setting.switchOf(n))) {
                on.add(n);
            }
        }
        return on;
    }

    public int httpClientCapacity() { return get(Setting.HTTPCLIENT_CAPACITY); }

    public List<String> httpClientHosts() { return get(Setting.HTTPCLIENT_HOSTS); }

    public boolean debug() { return get(Setting.DEBUG); }

    /** Test-only fault injection: every instrumentation meter fails to register. */
    public boolean failRecording() { return get(Setting.DEBUG_FAIL_RECORDING); }

    /** Where to write original and woven class files; null = nowhere. */
    public java.nio.file.Path dumpDir() {
        String dir = get(Setting.DEBUG_DUMP_DIR);
        return dir.isEmpty() ? null : java.nio.file.Path.of(dir);
    }

    /** One human-readable sentence per bad or unknown setting, in the order they were found. */
    public List<String> problems() { return problems; }

    @Override
    public String toString() {
        return "port=" + port() + " host=" + host() + " path=" + path() + " tags=" + commonTags()
                + " instrumentations=" + enabledInstrumentations();
    }
}
