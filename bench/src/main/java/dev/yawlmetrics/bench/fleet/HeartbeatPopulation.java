package dev.yawlmetrics.bench.fleet;

import org.yawlfoundation.yawl.integration.autonomous.registry.AgentInfo;
import org.yawlfoundation.yawl.integration.autonomous.registry.EtcdAgentRegistryClient;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * n agents registered with one EtcdAgentRegistryClient, each renewing at the fixture's period
 * (the engine's 10 s unless -Dfixture.heartbeat.periodMs is given), against a minimal etcd
 * stand-in on loopback in the same JVM ({@link LoopbackEtcd}).
 *
 * <p>{@code -Dbench.populate.threads=K} (default 1) registers from K threads at once, all through
 * the engine's own {@code register()} (initial put to the stand-in, then {@code startHeartbeat}),
 * as an engine registering many agents concurrently would: only the time to populate changes,
 * not the per-agent state nor the renewals. The fleet-scale step needs it to reach 1M agents in
 * minutes.
 *
 * <p>{@code -Dbench.populate.direct=true}: the first {@value #REGISTERED_FIRST} agents go through
 * {@code register()}; every further agent gets exactly what {@code register()} does after its
 * initial put (the {@code localCache} entry, then the engine's private {@code startHeartbeat},
 * called reflectively, whose {@code scheduleAtFixedRate} the agent rewrites), without the initial
 * put's HTTP round trip. Renewals, their executor, per-agent state and every renewal metric are
 * the same; only {@code register()}'s publish is not repeated 1M times (about 1,500 per second on
 * 2 cores: 1M registrations would take over 10 minutes).
 */
public final class HeartbeatPopulation implements Population {
    public static final String THREADS_PROPERTY = "bench.populate.threads";
    public static final String DIRECT_PROPERTY = "bench.populate.direct";
    static final int REGISTERED_FIRST = 1000;

    private LoopbackEtcd fakeEtcd;
    private EtcdAgentRegistryClient client;
    private final AtomicInteger registered = new AtomicInteger();

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
    public void populate(int n) throws Exception {
        EtcdAgentRegistryClient c = client();
        int threads = Math.max(1, Integer.getInteger(THREADS_PROPERTY, 1));
        if (threads == 1) {
            registerSome(c, n);
            return;
        }
        List<Future<?>> parts = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int t = 0; t < threads; t++) {
                int share = n / threads + (t < n % threads ? 1 : 0);
                parts.add(pool.submit(() -> {
                    registerSome(c, share);
                    return null;
                }));
            }
            for (Future<?> f : parts) {
                f.get();
            }
        }
    }

    private void registerSome(EtcdAgentRegistryClient c, int count) throws ReflectiveOperationException {
        boolean direct = Boolean.getBoolean(DIRECT_PROPERTY);
        for (int i = 0; i < count; i++) {
            int k = registered.getAndIncrement();
            String id = "hb-" + k;
            AgentInfo agent = new AgentInfo(id, id, List.of("cap"), "localhost", 9000);
            if (direct && k >= REGISTERED_FIRST) {
                Direct.startHeartbeat(c, agent);
            } else if (!c.register(agent)) {
                throw new IllegalStateException("register " + id + " failed against the loopback etcd stand-in");
            }
        }
    }

    /** register() minus its initial put: the cache entry and the engine's own startHeartbeat. */
    private static final class Direct {
        static final Method TO_JSON;
        static final Method START_HEARTBEAT;
        static final Field LOCAL_CACHE;

        static {
            try {
                Class<EtcdAgentRegistryClient> c = EtcdAgentRegistryClient.class;
                TO_JSON = c.getDeclaredMethod("toJson", AgentInfo.class);
                START_HEARTBEAT = c.getDeclaredMethod("startHeartbeat", String.class, String.class, String.class);
                LOCAL_CACHE = c.getDeclaredField("localCache");
                TO_JSON.setAccessible(true);
                START_HEARTBEAT.setAccessible(true);
                LOCAL_CACHE.setAccessible(true);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        @SuppressWarnings("unchecked")
        static void startHeartbeat(EtcdAgentRegistryClient client, AgentInfo agent) throws ReflectiveOperationException {
            String key = "/yawl/agents/" + agent.getId();
            String value = (String) TO_JSON.invoke(null, agent);
            ((Map<String, AgentInfo>) LOCAL_CACHE.get(client)).put(agent.getId(), agent);
            START_HEARTBEAT.invoke(client, agent.getId(), key, value);
        }
    }

    @Override
    public void exercise() throws IOException {
        client().getAgent("hb-0");
        client().syncFromRegistry();
    }

    @Override
    public String stats() {
        return fakeEtcd == null ? "" : "etcd_puts=" + fakeEtcd.puts() + " registered=" + registered.get();
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
            fakeEtcd.close();
        }
    }
}
