package dev.yawlmetrics.bench.fleet;

import org.yawlfoundation.yawl.integration.autonomous.registry.AgentInfo;
import org.yawlfoundation.yawl.integration.autonomous.registry.EtcdAgentRegistryClient;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Executors;

/**
 * n agents registered with one EtcdAgentRegistryClient, each renewing at the fixture's period
 * (the engine's 10 s unless -Dfixture.heartbeat.periodMs is given), against a minimal etcd
 * stand-in on loopback in the same JVM ({@link LoopbackEtcd}).
 */
public final class HeartbeatPopulation implements Population {
    private LoopbackEtcd fakeEtcd;
    private EtcdAgentRegistryClient client;
    private int registered;

    @Override
    public String name() {
        return "heartbeat";
    }

    @Override
    public String[] instrumentedClasses() {
        return new String[] {EtcdAgentRegistryClient.class.getName()};
    }

    private EtcdAgentRegistryClient client() throws IOException {
        if (client == null) {
            fakeEtcd = new LoopbackEtcd(Executors.newVirtualThreadPerTaskExecutor());
            client = new EtcdAgentRegistryClient(fakeEtcd.url(), 30);
        }
        return client;
    }

    @Override
    public void populate(int n) throws IOException {
        EtcdAgentRegistryClient c = client();
        for (int i = 0; i < n; i++) {
            String id = "hb-" + registered++;
            if (!c.register(new AgentInfo(id, id, List.of("cap"), "localhost", 9000))) {
                throw new IllegalStateException("register " + id + " failed against the loopback etcd stand-in");
            }
        }
    }

    @Override
    public void exercise() throws IOException {
        client().getAgent("hb-0");
        client().syncFromRegistry();
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
            fakeEtcd.close();
        }
    }
}
