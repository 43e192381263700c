package io.prometheus.metrics.config;

import java.util.Map;

/**
 * Replaces the Prometheus client's loader of the same name in the agent's jar (the shade step drops
 * the client's class, see agent/pom.xml; this one is relocated with the rest of the client).
 *
 * <p>Why: the client's loader configures itself from the <em>host's</em> environment: a
 * {@code prometheus.properties} resource of the thread's context class loader, the file named by
 * {@code -Dprometheus.config} or {@code PROMETHEUS_CONFIG}, every system property and every
 * {@code IO_PROMETHEUS_*} environment variable, and it throws on any name it does not know. Those
 * settings belong to the engine's own Prometheus client (their names are not relocated), so an
 * engine configured for a newer client, or with a config file the agent cannot read, left the
 * agent without a registry, hence without metrics, and a setting such as native-only histograms
 * would have changed the agent's exposition. The agent's output is defined by its own
 * configuration only, so this loader reads nothing: the client's defaults, with what Micrometer
 * passes in ignored (it asks for exemplars on every metric type; the agent has no span context, so
 * it never records an exemplar either way).
 */
public final class PrometheusPropertiesLoader {
    private PrometheusPropertiesLoader() {}

    /** Called by {@code PrometheusProperties}' static initialiser. */
    public static PrometheusProperties load() {
        return PrometheusProperties.builder().build();
    }

    /** Called by Micrometer's {@code PrometheusMeterRegistry} with its config's properties. */
    public static PrometheusProperties load(Map<Object, Object> ignored) {
        return load();
    }
}
