package dev.yawlmetrics.agent.endpoint;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.yawlmetrics.agent.config.MetricsAgentConfig;
import dev.yawlmetrics.agent.config.InstrumentationName;
import dev.yawlmetrics.agent.core.MetricsAgentLog;
import dev.yawlmetrics.agent.core.MetricsAgentVersion;
import dev.yawlmetrics.agent.core.DaemonThreads;
import dev.yawlmetrics.agent.metrics.MetricsAgentHealth;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

/**
 * The Prometheus endpoint: one port, {@code GET}/{@code HEAD} on the metrics path, an index page
 * at {@code /}, 404 elsewhere, 405 for other methods. Served by the JDK's own HTTP server on a
 * small bounded pool of daemon threads, so a slow or hostile scraper can never take more than
 * those threads, and the endpoint never keeps the JVM alive.
 */
public final class MetricsEndpoint {
    static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";
    static final String TEXT_004 = "text/plain; version=0.0.4; charset=utf-8";
    static final String NODELAY_PROPERTY = "sun.net.httpserver.nodelay";

    private final HttpServer server;
    private final ThreadPoolExecutor executor;
    private final String path;

    private MetricsEndpoint(HttpServer server, ThreadPoolExecutor executor, String path) {
        this.server = server;
        this.executor = executor;
        this.path = path;
    }

    /**
     * Binds and starts the endpoint. Must be called from a daemon thread: the JDK server's
     * dispatcher thread inherits its daemon status from the thread that starts it.
     *
     * @return the running endpoint, or null when the port could not be bound (already logged)
     */
    public static MetricsEndpoint start(MetricsAgentConfig config, PrometheusMeterRegistry registry) {
        InetSocketAddress address = new InetSocketAddress(config.host(), config.port());
        if (address.isUnresolved()) {
            MetricsAgentLog.error("metrics endpoint NOT started: host '" + config.host()
                    + "' (yawl.metrics.host) does not resolve; the engine runs on without a metrics endpoint");
            return null;
        }
        // The JDK server writes response headers and body as two segments; with Nagle on, a
        // kept-alive scraper's delayed ACK stalls every scrape by ~40 ms. The switch is JVM-wide
        // (read once by the JDK), so an operator's explicit setting always wins.
        if (System.getProperty(NODELAY_PROPERTY) == null) {
            System.setProperty(NODELAY_PROPERTY, "true");
        }
        HttpServer server;
        try {
            server = HttpServer.create(address, 64);
        } catch (BindException e) {
            MetricsAgentLog.error("metrics endpoint NOT started: port " + config.port() + " on " + config.host()
                    + " is already in use (" + e.getMessage() + "); the engine runs on without a metrics endpoint."
                    + " Set yawl.metrics.port to a free port, or 0 for an ephemeral one");
            return null;
        } catch (IOException | RuntimeException e) {
            MetricsAgentLog.error("metrics endpoint NOT started on " + config.host() + ":" + config.port() + ": " + e
                    + "; the engine runs on without a metrics endpoint");
            return null;
        }
        ThreadPoolExecutor executor = new ThreadPoolExecutor(config.httpThreads(), config.httpThreads(),
                60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(32), DaemonThreads.factory("yawl-metrics-http"),
                new ThreadPoolExecutor.AbortPolicy());
        executor.allowCoreThreadTimeOut(true);
        server.setExecutor(executor);
        MetricsEndpoint endpoint = new MetricsEndpoint(server, executor, config.path());
        server.createContext("/", exchange -> endpoint.handle(exchange, registry, config));
        server.start();
        MetricsAgentLog.info("metrics endpoint listening on http://" + config.host() + ":" + endpoint.port() + config.path()
                + (config.port() == 0 ? " (ephemeral port chosen because yawl.metrics.port=0)" : ""));
        return endpoint;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public void stop() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange, PrometheusMeterRegistry registry, MetricsAgentConfig config) throws IOException {
        try {
            String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
            String requestPath = exchange.getRequestURI().getPath();
            boolean head = method.equals("HEAD");
            if (requestPath == null || !(requestPath.equals(path) || requestPath.equals(path + "/") || requestPath.equals("/"))) {
                respond(exchange, 404, "text/plain; charset=utf-8",
                        ("Not found. Metrics are at " + path + "\n").getBytes(StandardCharsets.UTF_8), head, false);
                return;
            }
            if (!method.equals("GET") && !head) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                respond(exchange, 405, "text/plain; charset=utf-8",
                        ("Method " + method + " not allowed; use GET or HEAD\n").getBytes(StandardCharsets.UTF_8), false, false);
                return;
            }
            if (requestPath.equals("/")) {
                respond(exchange, 200, "text/html; charset=utf-8", indexPage(config), head, false);
                return;
            }
            Headers request = exchange.getRequestHeaders();
            String contentType = wantsOpenMetrics(request.getFirst("Accept")) ? OPENMETRICS : TEXT_004;
            ByteArrayOutputStream body = new ByteArrayOutputStream(16 * 1024);
            registry.scrape(body, contentType);
            respond(exchange, 200, contentType, body.toByteArray(), head, acceptsGzip(request.getFirst("Accept-Encoding")));
        } catch (Throwable t) {
            MetricsAgentLog.warn("metrics request failed: " + t);
            try {
                respond(exchange, 500, "text/plain; charset=utf-8",
                        ("scrape failed: " + t.getClass().getSimpleName() + "\n").getBytes(StandardCharsets.UTF_8), false, false);
            } catch (Throwable ignored) {
                // The client went away; nothing else to do.
            }
        } finally {
            exchange.close();
        }
    }

    private static void respond(HttpExchange exchange, int status, String contentType, byte[] body,
                                boolean head, boolean gzip) throws IOException {
        byte[] payload = gzip ? gzip(body) : body;
        Headers headers = exchange.getResponseHeaders();
        headers.set("Content-Type", contentType);
        headers.set("Vary", "Accept, Accept-Encoding");
        if (gzip) {
            headers.set("Content-Encoding", "gzip");
        }
        if (head) {
            // The JDK server sends no body for HEAD; state the length a GET would have.
            headers.set("Content-Length", Integer.toString(payload.length));
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, payload.length == 0 ? -1 : payload.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(payload);
        }
    }

    static boolean wantsOpenMetrics(String accept) {
        if (accept == null) {
            return false;
        }
        for (String part : accept.split(",")) {
            String[] params = part.trim().split(";");
            if (params[0].trim().equalsIgnoreCase("application/openmetrics-text") && qualityOf(params) > 0) {
                return true;
            }
        }
        return false;
    }

    static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        for (String part : acceptEncoding.split(",")) {
            String[] params = part.trim().split(";");
            String coding = params[0].trim();
            if ((coding.equalsIgnoreCase("gzip") || coding.equals("*")) && qualityOf(params) > 0) {
                return true;
            }
        }
        return false;
    }

    private static double qualityOf(String[] params) {
        for (int i = 1; i < params.length; i++) {
            String p = params[i].trim();
            if (p.startsWith("q=")) {
                try {
                    return Double.parseDouble(p.substring(2));
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 1;
    }

    private static byte[] gzip(byte[] body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(512, body.length / 4));
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(body);
        }
        return out.toByteArray();
    }

    private byte[] indexPage(MetricsAgentConfig config) {
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html><html><head><title>yawl-metrics-agent</title></head><body>")
          .append("<h1>yawl-metrics-agent ").append(MetricsAgentVersion.VALUE).append("</h1>")
          .append("<p>Prometheus metrics: <a href=\"").append(path).append("\">").append(path).append("</a></p>")
          .append("<table border=\"1\"><tr><th>instrumentation</th><th>enabled</th><th>applied</th></tr>");
        for (InstrumentationName n : InstrumentationName.values()) {
            sb.append("<tr><td>").append(n.id()).append("</td><td>").append(config.isEnabled(n) ? "yes" : "no")
              .append("</td><td>").append(MetricsAgentHealth.isApplied(n) ? "yes" : "no").append("</td></tr>");
        }
        sb.append("</table></body></html>\n");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
}
