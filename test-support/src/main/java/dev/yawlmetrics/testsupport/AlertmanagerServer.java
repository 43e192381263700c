package dev.yawlmetrics.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real Alertmanager (Debian's prometheus-alertmanager) on loopback with a private storage
 * directory, a free port and clustering off (no gossip port, no peers).
 */
public final class AlertmanagerServer extends ExternalProcess {
    private final int port;

    private AlertmanagerServer() throws IOException {
        super("alertmanager");
        this.port = FreePorts.next();
    }

    /**
     * Starts Alertmanager on a configuration file the test wrote (relative template paths in it are
     * resolved against the file's directory). Fails (CI) or skips loudly (not CI) when not installed.
     */
    public static AlertmanagerServer start(Path configFile) throws Exception {
        Path binary = Tools.require("prometheus-alertmanager", "prometheus-alertmanager");
        AlertmanagerServer am = new AlertmanagerServer();
        try {
            am.launch(List.of(binary.toString(), "--config.file=" + configFile, "--storage.path=" + am.dir.resolve("data"),
                    "--web.listen-address=127.0.0.1:" + am.port, "--cluster.listen-address=", "--log.level=debug"));
            am.awaitHttp200(am.url() + "/-/ready", Duration.ofSeconds(60));
            return am;
        } catch (Throwable t) {
            am.close();
            throw t;
        }
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** host:port, as Prometheus' alerting.alertmanagers targets want it. */
    public String target() {
        return "127.0.0.1:" + port;
    }

    /** GET an API path (e.g. /api/v2/alerts) and return the body. */
    public String get(String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        return r.body();
    }
}
