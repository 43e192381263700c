package dev.yawlmetrics.agent.endpoint;

import dev.yawlmetrics.agent.metrics.EndpointStats;
import dev.yawlmetrics.agent.config.MetricsAgentConfig;
import dev.yawlmetrics.agent.core.MetricsAgentLog;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * The Prometheus endpoint: one port, {@code GET}/{@code HEAD} on the metrics path, an index page
 * at {@code /}, 404 elsewhere, 405 for other methods; over TLS and behind basic auth when a web
 * config file is set. Served by the agent's own small server ({@link EndpointServer}), whose
 * limits apply to this port only and change nothing else in the JVM.
 */
public final class MetricsEndpoint {
    /** How often the web config file and the files it names are checked for changes. */
    static final long ROTATION_CHECK_MILLIS = 5_000;

    private final EndpointServer server;

    private MetricsEndpoint(EndpointServer server) {
        this.server = server;
    }

    /**
     * Binds and starts the endpoint. A web config that cannot be loaded means no endpoint at all
     * (fails closed, never plain HTTP instead).
     *
     * @return the running endpoint, or null when it could not start (already logged)
     */
    public static MetricsEndpoint start(MetricsAgentConfig config, PrometheusMeterRegistry registry) {
        return start(config, registry, new EndpointServer.Limits());
    }

    static MetricsEndpoint start(MetricsAgentConfig config, PrometheusMeterRegistry registry, EndpointServer.Limits limits) {
        InetSocketAddress address = new InetSocketAddress(config.host(), config.port());
        if (address.isUnresolved()) {
            MetricsAgentLog.error("metrics endpoint NOT started: host '" + config.host()
                    + "' (yawl.metrics.host) does not resolve; the engine runs on without a metrics endpoint");
            return null;
        }
        ConnectionPolicy policy = ConnectionPolicy.PLAIN;
        PolicySource source = null;
        if (!config.webConfigFile().isEmpty()) {
            try {
                // Loaded by name only here, so TLS and bcrypt classes stay unloaded without a web config.
                source = (PolicySource) Class.forName("dev.yawlmetrics.agent.endpoint.security.WebConfigSource")
                        .getConstructor(String.class).newInstance(config.webConfigFile());
                policy = source.load();
            } catch (Throwable t) {
                EndpointStats.countWebConfigError();
                Throwable cause = t instanceof java.lang.reflect.InvocationTargetException ? t.getCause() : t;
                MetricsAgentLog.error("metrics endpoint NOT started: web config file '" + config.webConfigFile()
                        + "' (yawl.metrics.web.config.file) cannot be used: " + (cause.getMessage() == null ? cause : cause.getMessage())
                        + "; the engine runs on without a metrics endpoint (never plain HTTP instead)");
                return null;
            }
        }
        ServerSocket socket = null;
        try {
            socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(address, 64);
        } catch (BindException e) {
            EndpointServer.closeQuietly(socket);
            MetricsAgentLog.error("metrics endpoint NOT started: port " + config.port() + " on " + config.host()
                    + " is already in use (" + e.getMessage() + "); the engine runs on without a metrics endpoint."
                    + " Set yawl.metrics.port to a free port, or 0 for an ephemeral one");
            return null;
        } catch (IOException | RuntimeException e) {
            EndpointServer.closeQuietly(socket);
            MetricsAgentLog.error("metrics endpoint NOT started on " + config.host() + ":" + config.port() + ": " + e
                    + "; the engine runs on without a metrics endpoint");
            return null;
        }
        MetricsHandler handler = new MetricsHandler(registry, config);
        EndpointServer[] holder = new EndpointServer[1];
        PolicySource watched = source;
        Runnable rotation = watched == null ? null : () -> {
            ConnectionPolicy next = watched.reloadIfChanged();
            if (next != null) {
                holder[0].policy(next);
            }
        };
        EndpointServer server = new EndpointServer(socket, handler, policy, limits, rotation, ROTATION_CHECK_MILLIS);
        holder[0] = server;
        try {
            server.start();
        } catch (IOException | RuntimeException e) {
            server.stop();
            MetricsAgentLog.error("metrics endpoint NOT started on " + config.host() + ":" + config.port() + ": " + e
                    + "; the engine runs on without a metrics endpoint");
            return null;
        }
        String scheme = policy.tls() ? "https" : "http";
        MetricsAgentLog.info("metrics endpoint listening on " + scheme + "://" + config.host() + ":" + server.port() + config.path()
                + (config.port() == 0 ? " (ephemeral port chosen because yawl.metrics.port=0)" : "")
                + (source == null ? "" : " (" + source.describe() + ")"));
        return new MetricsEndpoint(server);
    }

    public int port() {
        return server.port();
    }

    /** Turns of the accept loop so far (tests: an idle endpoint must not wake up). */
    long acceptorWakeups() {
        return server.wakeups;
    }

    public void stop() {
        server.stop();
    }

    /** The web config file behind a policy; implemented in the security package. */
    public interface PolicySource {
        /** Loads the file; throws with a message naming what is wrong. */
        ConnectionPolicy load() throws Exception;

        /** A new policy when a watched file changed and loads; null otherwise (a bad file is logged). */
        ConnectionPolicy reloadIfChanged();

        /** e.g. "TLS, client certificates required, basic auth for 1 user". */
        String describe();
    }
}
