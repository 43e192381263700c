package dev.yawlmetrics.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real etcd (Debian's etcd-server, 3.4) on loopback with a private data dir and free client and
 * peer ports. {@link #stop()} and {@link #start()} keep the data dir, so a test can take etcd
 * away mid-run and bring the same member back.
 */
public final class EtcdServer extends ExternalProcess {
    private final Path binary;
    private final int clientPort;
    private final int peerPort;
    private String member = "t";
    private String initialCluster;

    private EtcdServer(Path binary) throws IOException {
        super("etcd");
        this.binary = binary;
        int[] ports = FreePorts.distinct(2); // two next() calls once returned the same port: "address already in use"
        this.clientPort = ports[0];
        this.peerPort = ports[1];
        this.initialCluster = member + "=" + peerUrl();
    }

    /** Starts etcd, or fails (CI) / skips loudly (not CI) when it is not installed. */
    public static EtcdServer startNew() throws Exception {
        EtcdServer etcd = new EtcdServer(Tools.require("etcd", "etcd-server"));
        etcd.start();
        return etcd;
    }

    /**
     * Starts an n-member cluster (each member its own process, data dir and ports). Stopping members
     * until fewer than a majority run takes the leader away from the rest: etcd_server_has_leader
     * drops to 0 on the members still running, which is what EtcdNoLeader watches.
     */
    public static List<EtcdServer> startCluster(int members) throws Exception {
        Path binary = Tools.require("etcd", "etcd-server");
        List<EtcdServer> cluster = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < members; i++) {
                EtcdServer m = new EtcdServer(binary);
                m.member = "m" + i;
                cluster.add(m);
            }
            String initial = String.join(",", cluster.stream().map(m -> m.member + "=" + m.peerUrl()).toList());
            for (EtcdServer m : cluster) {
                m.initialCluster = initial;
                m.launch();
            }
            for (EtcdServer m : cluster) {
                m.awaitHttp200(m.clientUrl() + "/health", Duration.ofSeconds(30)); // needs a majority up: after every launch
            }
            return cluster;
        } catch (Throwable t) {
            for (EtcdServer m : cluster) {
                m.close();
            }
            throw t;
        }
    }

    /** Starts (or restarts, on the same data dir and ports) this member; returns when it is healthy. */
    public void start() throws Exception {
        launch();
        awaitHttp200(clientUrl() + "/health", Duration.ofSeconds(30));
    }

    private void launch() throws IOException {
        String client = clientUrl();
        String peer = peerUrl();
        launch(List.of(binary.toString(), "--name", member, "--data-dir", dir.resolve("data").toString(),
                "--listen-client-urls", client, "--advertise-client-urls", client,
                "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                "--initial-cluster", initialCluster, "--log-outputs", "stderr", "--logger", "zap"));
    }

    private String peerUrl() {
        return "http://127.0.0.1:" + peerPort;
    }

    public String clientUrl() {
        return "http://127.0.0.1:" + clientPort;
    }

    public int clientPort() {
        return clientPort;
    }

    /** POSTs JSON to an etcd v3 gRPC-gateway path (e.g. /v3/lease/grant) and returns the body. */
    public String post(String path, String json) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(clientUrl() + path))
                .timeout(Duration.ofSeconds(5)).POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 400) {
            throw new AssertionError("etcd " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    /** Grants a lease with a client-chosen id, which is what the engine's client needs to publish. */
    public void grantLease(long id, long ttlSeconds) throws Exception {
        post("/v3/lease/grant", "{\"TTL\": " + ttlSeconds + ", \"ID\": " + id + "}");
    }

    /** etcd's own Prometheus metrics. */
    public String metrics() throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(clientUrl() + "/metrics")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
