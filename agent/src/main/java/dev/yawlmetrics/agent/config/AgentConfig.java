package dev.yawlmetrics.agent.config;

import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The agent's configuration, resolved once at start-up by {@link ConfigLoader} and never changed
 * afterwards. Every field already holds a valid value: bad input was replaced by the default and
 * reported in {@link #problems()}.
 */
public final class AgentConfig {
    private final boolean enabled;
    private final int port;
    private final String host;
    private final String path;
    private final Map<String, String> commonTags;
    private final int httpThreads;
    private final Set<InstrumentationName> enabledInstrumentations;
    private final int httpClientCapacity;
    private final List<String> httpClientHosts;
    private final List<String> problems;
    private final String webConfigFile;

    AgentConfig(boolean enabled, int port, String host, String path, Map<String, String> commonTags,
                int httpThreads, Set<InstrumentationName> enabledInstrumentations,
                int httpClientCapacity, List<String> httpClientHosts, List<String> problems, String webConfigFile) {
        this.enabled = enabled;
        this.port = port;
        this.host = host;
        this.path = path;
        this.commonTags = Collections.unmodifiableMap(new LinkedHashMap<>(commonTags));
        this.httpThreads = httpThreads;
        this.enabledInstrumentations = Collections.unmodifiableSet(
                enabledInstrumentations.isEmpty() ? EnumSet.noneOf(InstrumentationName.class)
                                                  : EnumSet.copyOf(enabledInstrumentations));
        this.httpClientCapacity = httpClientCapacity;
        this.httpClientHosts = List.copyOf(httpClientHosts);
        this.problems = List.copyOf(problems);
        this.webConfigFile = webConfigFile;
    }

    /** Defaults only; what the agent runs with when nothing is configured. */
    public static AgentConfig defaults() {
        return ConfigLoader.load(null, Map.of(), Map.of());
    }

    public boolean enabled() { return enabled; }

    public int port() { return port; }

    public String host() { return host; }

    public String path() { return path; }

    public Map<String, String> commonTags() { return commonTags; }

    public int httpThreads() { return httpThreads; }

    public boolean isEnabled(InstrumentationName name) {
        return enabled && enabledInstrumentations.contains(name);
    }

    public Set<InstrumentationName> enabledInstrumentations() { return enabledInstrumentations; }

    /** The web config file (TLS, basic auth); empty = plain HTTP without authentication. */
    public String webConfigFile() { return webConfigFile; }

    public int httpClientCapacity() { return httpClientCapacity; }

    public List<String> httpClientHosts() { return httpClientHosts; }

    /** One human-readable sentence per bad or unknown setting, in the order they were found. */
    public List<String> problems() { return problems; }

    @Override
    public String toString() {
        return "port=" + port + " host=" + host + " path=" + path + " tags=" + commonTags
                + " instrumentations=" + enabledInstrumentations;
    }
}
