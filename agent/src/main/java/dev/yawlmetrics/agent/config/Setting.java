package dev.yawlmetrics.agent.config;

import java.util.Locale;

/**
 * Every setting the agent reads. Each has a system property name, an environment-variable twin
 * (upper case, dots and dashes as underscores) and a short name for the agent argument string.
 * Per-instrumentation switches are not listed here; they are derived from {@link InstrumentationName}.
 */
public enum Setting {
    ENABLED("yawl.metrics.enabled", "true", "master switch: false = no instrumentation, no port"),
    PORT("yawl.metrics.port", "9464", "TCP port of the metrics endpoint (0 = ephemeral, logged)"),
    HOST("yawl.metrics.host", "0.0.0.0", "address the endpoint binds to"),
    PATH("yawl.metrics.path", "/metrics", "HTTP path of the Prometheus endpoint"),
    TAGS("yawl.metrics.tags", "", "common labels on every series, k=v pairs separated by ';'"),
    HTTP_THREADS("yawl.metrics.http.threads", "2", "concurrent scrapes the endpoint serves (1-16); more get 503"),
    WEB_CONFIG_FILE("yawl.metrics.web.config.file", "",
            "Prometheus exporter-toolkit web config file (TLS, mutual TLS, basic auth); empty = plain HTTP"),
    HTTPCLIENT_CAPACITY("yawl.instrumentation.httpclient.capacity", "256",
            "nominal in-flight capacity behind yawl_http_client_pool_utilization_percent"),
    HTTPCLIENT_HOSTS("yawl.instrumentation.httpclient.hosts", "",
            "hosts that may appear as a 'host' label (';'-separated allowlist); empty = no host label");

    public static final String METRICS_PREFIX = "yawl.metrics.";
    public static final String INSTRUMENTATION_PREFIX = "yawl.instrumentation.";

    private final String property;
    private final String defaultValue;
    private final String description;

    Setting(String property, String defaultValue, String description) {
        this.property = property;
        this.defaultValue = defaultValue;
        this.description = description;
    }

    public String property() { return property; }

    public String defaultValue() { return defaultValue; }

    public String description() { return description; }

    public String envName() { return envNameOf(property); }

    /** Short name accepted in the agent argument string: the property without its prefix. */
    public String shortName() { return shortNameOf(property); }

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

    public static String enabledProperty(InstrumentationName name) {
        return INSTRUMENTATION_PREFIX + name.id() + ".enabled";
    }
}
