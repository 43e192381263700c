package dev.yawlmetrics.bench.fleet;

import com.sun.net.httpserver.HttpServer;
import org.yawlfoundation.yawl.integration.autonomous.registry.AgentInfo;
import org.yawlfoundation.yawl.integration.autonomous.registry.EtcdAgentRegistryClient;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executors;

/**
 * n agents registered with one EtcdAgentRegistryClient, each renewing at the fixture's period
 * (the engine's 10 s unless -Dfixture.heartbeat.periodMs is given), against a minimal etcd
 * stand-in on loopback in the same JVM that answers every v3 JSON call with 200 "{}".
 * Compiled only when the heartbeat fixture exists (profile heartbeat-fixture in bench/pom.xml).
 */
public final class HeartbeatPopulation implements Population {
    private final HttpServer fakeEtcd;
    private final EtcdAgentRegistryClient client;
    private int registered;

    public HeartbeatPopulation() throws IOException {
        fakeEtcd = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
        fakeEtcd.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        fakeEtcd.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        fakeEtcd.start();
        client = new EtcdAgentRegistryClient("http://127.0.0.1:" + fakeEtcd.getAddress().getPort(), 30);
    }

    @Override
    public String name() {
        return "heartbeat";
    }

    @Override
    public String[] instrumentedClasses() {
        return new String[] {EtcdAgentRegistryClient.class.getName()};
    }

    @Override
    public void populate(int n) {
        for (int i = 0; i < n; i++) {
            String id = "hb-" + registered++;
            if (!client.register(new AgentInfo(id, id, List.of("cap"), "localhost", 9000))) {
                throw new IllegalStateException("register " + id + " failed against the loopback etcd stand-in");
            }
        }
    }

    @Override
    public void exercise() {
        client.getAgent("hb-0");
        client.syncFromRegistry();
    }

    @Override
    public void close() {
        client.close();
        fakeEtcd.stop(0);
    }
}
