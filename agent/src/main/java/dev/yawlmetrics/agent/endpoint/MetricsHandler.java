package dev.yawlmetrics.agent.endpoint;

import dev.yawlmetrics.agent.metrics.EndpointStats;
import dev.yawlmetrics.agent.config.MetricsAgentConfig;
import dev.yawlmetrics.agent.config.InstrumentationName;
import dev.yawlmetrics.agent.core.MetricsAgentVersion;
import dev.yawlmetrics.agent.core.RateLimitedLog;
import dev.yawlmetrics.agent.metrics.MetricsAgentHealth;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

/**
 * What each path answers. Scrapes run under a fixed number of permits (yawl.metrics.http.threads):
 * when all are taken the answer is 503 with Retry-After at once, never a queue that grows with
 * the number of clients.
 */
final class MetricsHandler implements EndpointServer.Handler {
    static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";
    static final String TEXT_004 = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;
    private final MetricsAgentConfig config;
    private final String path;
    private final Semaphore scrapes;
    private final RateLimitedLog busy = new RateLimitedLog("metrics endpoint: scrape refused with 503, every worker busy", 60, TimeUnit.SECONDS);
    private final RateLimitedLog unauthorized = new RateLimitedLog("metrics endpoint: request refused with 401", 60, TimeUnit.SECONDS);
    private final RateLimitedLog failed = new RateLimitedLog("metrics endpoint: scrape failed", 60, TimeUnit.SECONDS);

    MetricsHandler(PrometheusMeterRegistry registry, MetricsAgentConfig config) {
        this.registry = registry;
        this.config = config;
        this.path = config.path();
        this.scrapes = new Semaphore(config.httpThreads());
    }

    @Override
    public HttpResponse handle(HttpRequest request, ConnectionPolicy policy) {
        ConnectionPolicy.Auth auth = policy.authorize(request.header("Authorization"));
        if (auth == ConnectionPolicy.Auth.DENIED) {
            unauthorized.warn("missing or wrong basic auth credentials");
            return HttpResponse.text(401, "Unauthorized\n")
                    .header("WWW-Authenticate", "Basic realm=\"yawl-metrics-agent\", charset=\"UTF-8\"");
        }
        if (auth == ConnectionPolicy.Auth.BUSY) {
            return busy("password check busy");
        }
        String method = request.method.toUpperCase(Locale.ROOT);
        boolean head = method.equals("HEAD");
        String p = request.path;
        boolean metrics = p.equals(path) || p.equals(path + "/");
        if (!metrics && !p.equals("/")) {
            return withHead(HttpResponse.text(404, "Not found. Metrics are at " + path + "\n"), head);
        }
        if (!method.equals("GET") && !head) {
            HttpResponse r = HttpResponse.text(405, "Method not allowed; use GET or HEAD\n").header("Allow", "GET, HEAD");
            r.close = request.hasBody();
            return r;
        }
        if (!metrics) {
            return withHead(new HttpResponse(200, "text/html; charset=utf-8", indexPage()), head);
        }
        if (!scrapes.tryAcquire()) {
            return busy("all " + config.httpThreads() + " scrape workers busy");
        }
        try {
            String contentType = wantsOpenMetrics(request.header("Accept")) ? OPENMETRICS : TEXT_004;
            ByteArrayOutputStream body = new ByteArrayOutputStream(16 * 1024);
            registry.scrape(body, contentType);
            boolean gzip = acceptsGzip(request.header("Accept-Encoding"));
            HttpResponse r = new HttpResponse(200, contentType, gzip ? gzip(body.toByteArray()) : body.toByteArray())
                    .header("Vary", "Accept, Accept-Encoding");
            if (gzip) {
                r.header("Content-Encoding", "gzip");
            }
            return withHead(r, head);
        } catch (Throwable t) {
            failed.warn(String.valueOf(t));
            HttpResponse r = HttpResponse.text(500, "scrape failed: " + t.getClass().getSimpleName() + "\n");
            r.close = true;
            return r;
        } finally {
            scrapes.release();
        }
    }

    private HttpResponse busy(String why) {
        EndpointStats.countRejected(EndpointStats.Rejection.BUSY);
        busy.warn(why);
        return HttpResponse.text(503, "busy, retry in 1 s\n").header("Retry-After", "1");
    }

    private static HttpResponse withHead(HttpResponse r, boolean head) {
        r.headOnly = head;
        return r;
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

    private byte[] indexPage() {
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
