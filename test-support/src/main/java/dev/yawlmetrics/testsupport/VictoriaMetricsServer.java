package dev.yawlmetrics.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * A real single-node VictoriaMetrics (Debian's victoria-metrics package) on loopback with a private
 * data directory: a long-term store that Prometheus remote-writes to and that answers PromQL.
 * Queries see samples as soon as they are flushed ({@link #flush()}), not 30 s later as by default.
 */
public final class VictoriaMetricsServer extends ExternalProcess {
    private final int port;

    private VictoriaMetricsServer() throws IOException {
        super("victoria-metrics");
        this.port = FreePorts.next();
    }

    /** Starts it, or fails (CI) / skips loudly (not CI) when it is not installed. */
    public static VictoriaMetricsServer start() throws Exception {
        VictoriaMetricsServer vm = new VictoriaMetricsServer();
        vm.launch(List.of(Tools.require("victoria-metrics", "victoria-metrics").toString(),
                "-storageDataPath=" + vm.dir.resolve("data"), "-httpListenAddr=127.0.0.1:" + vm.port,
                "-retentionPeriod=1", "-search.latencyOffset=0s", "-search.disableCache"));
        vm.awaitHttp200(vm.url() + "/health", Duration.ofSeconds(60));
        return vm;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Where Prometheus' remote_write sends samples. */
    public String writeUrl() {
        return url() + "/api/v1/write";
    }

    public String get(String pathAndQuery) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url() + pathAndQuery))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new AssertionError("victoria-metrics " + pathAndQuery + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    /** Instant PromQL query through its Prometheus-compatible API; the raw JSON answer. */
    public String query(String promql) throws Exception {
        return get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    }

    /** Makes every received sample searchable now. */
    public void flush() throws Exception {
        get("/internal/force_flush");
    }
}
