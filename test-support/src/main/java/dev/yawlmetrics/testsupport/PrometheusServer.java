package dev.yawlmetrics.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real Prometheus (Debian's prometheus package) on loopback, with a private TSDB directory and
 * a free port, started from a configuration the test writes. Queries go through its HTTP API.
 */
public final class PrometheusServer extends ExternalProcess {
    private final Path binary;
    private final int port;

    private PrometheusServer(Path binary) throws IOException {
        super("prometheus");
        this.binary = binary;
        this.port = FreePorts.next();
    }

    /**
     * Starts Prometheus with the given prometheus.yml text (rule files may be referenced by
     * absolute path). Fails (CI) or skips loudly (not CI) when it is not installed.
     */
    public static PrometheusServer start(String configYaml) throws Exception {
        PrometheusServer p = new PrometheusServer(Tools.require("prometheus", "prometheus"));
        Path config = p.dir.resolve("prometheus.yml");
        Files.writeString(config, configYaml);
        p.launch(List.of(p.binary.toString(), "--config.file=" + config, "--storage.tsdb.path=" + p.dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + p.port, "--web.enable-lifecycle"));
        p.awaitHttp200(p.url() + "/-/ready", Duration.ofSeconds(60));
        return p;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** GET an API path (e.g. /api/v1/rules) and return the JSON body. */
    public String get(String pathAndQuery) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url() + pathAndQuery))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        return r.body();
    }

    /** Instant query; returns the raw JSON answer (status, data / errorType, error). */
    public String query(String promql) throws Exception {
        return get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    }
}
