package dev.yawlmetrics.testsupport;


import java.util.List;
import java.time.Duration;

/** Debian's prometheus-node-exporter on a free loopback port (fails under CI / skips loudly when missing). */
public final class NodeExporter extends ExternalProcess {
    private final int port = FreePorts.next();

    private NodeExporter() throws Exception {
        super("node-exporter");
    }

    public static NodeExporter start() throws Exception {
        NodeExporter n = new NodeExporter();
        n.launch(List.of(Tools.require("prometheus-node-exporter", "prometheus-node-exporter").toString(),
                "--web.listen-address=127.0.0.1:" + n.port));
        n.awaitHttp200("http://127.0.0.1:" + n.port + "/metrics", Duration.ofSeconds(30));
        return n;
    }

    public String target() {
        return "127.0.0.1:" + port;
    }
}
