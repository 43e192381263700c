package dev.yawlmetrics.ops.dashboards;

import dev.yawlmetrics.testsupport.ExternalProcess;
import dev.yawlmetrics.testsupport.FreePorts;
import dev.yawlmetrics.testsupport.Tools;

import java.util.List;
import java.time.Duration;

/** Debian's prometheus-node-exporter on a free loopback port. */
final class NodeExporter extends ExternalProcess {
    private final int port = FreePorts.next();

    private NodeExporter() throws Exception {
        super("node-exporter");
    }

    static NodeExporter start() throws Exception {
        NodeExporter n = new NodeExporter();
        n.launch(List.of(Tools.require("prometheus-node-exporter", "prometheus-node-exporter").toString(),
                "--web.listen-address=127.0.0.1:" + n.port));
        n.awaitHttp200("http://127.0.0.1:" + n.port + "/metrics", Duration.ofSeconds(30));
        return n;
    }

    String target() {
        return "127.0.0.1:" + port;
    }
}
