package org.yawlfoundation.yawl.integration.autonomous.registry;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Test fixture with the shape of the engine's etcd registry client (written for these tests from
 * the description of its members, not copied): same FQCN, fields, method names and descriptors,
 * and the same control flow where the agent looks: network I/O in the private publishToEtcd /
 * deleteFromEtcd / fetchAllFromEtcd, the renewal in the lambda that startHeartbeat schedules at a
 * fixed rate, and the same real-world bug (the TTL in seconds is sent as the lease id).
 *
 * <p>Two knobs exist only in this fixture, never in the agent:
 * {@code -Dfixture.heartbeat.periodMs} shortens the engine's 10 s period for tests,
 * {@code -Dfixture.etcd.timeoutMs} its 5 s request timeout, and
 * {@code -Dfixture.heartbeat.executor=single} selects the newer engine version's
 * {@code Executors.newSingleThreadScheduledExecutor} (default: the older
 * {@code ScheduledThreadPoolExecutor(4, virtual factory)}).
 */
public class EtcdAgentRegistryClient {
    /** The engine's constant is 10_000; only the fixture lets a test shorten it. */
    private static final long HEARTBEAT_INTERVAL_MS = Long.getLong("fixture.heartbeat.periodMs", 10_000L);
    /** The engine's request timeout is 5 s; only the fixture lets a test shorten it. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofMillis(Long.getLong("fixture.etcd.timeoutMs", 5_000L));

    private final String registryUrl;
    private final long ttlSeconds;
    private final HttpClient httpClient;
    private final Object objectMapper;
    private final Map<String, AgentInfo> localCache;
    private final ScheduledExecutorService heartbeatExecutor;
    private final ConcurrentHashMap<String, ScheduledFuture<?>> activeHeartbeats;

    public EtcdAgentRegistryClient() {
        this(System.getenv().getOrDefault("YAWL_REGISTRY_URL", "http://localhost:2379"),
                Long.parseLong(System.getenv().getOrDefault("YAWL_REGISTRY_TTL", "30")));
    }

    public EtcdAgentRegistryClient(String registryUrl, long ttlSeconds) {
        this.registryUrl = registryUrl;
        this.ttlSeconds = ttlSeconds;
        this.httpClient = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        this.objectMapper = new Object();
        this.localCache = new ConcurrentHashMap<>();
        this.heartbeatExecutor = "single".equals(System.getProperty("fixture.heartbeat.executor"))
                ? Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("etcd-heartbeat-", 0).factory())
                : Executors.newScheduledThreadPool(4, Thread.ofVirtual().name("etcd-heartbeat-", 0).factory());
        this.activeHeartbeats = new ConcurrentHashMap<>();
    }

    public boolean register(AgentInfo agent) {
        if (agent == null || agent.getId() == null) {
            throw new IllegalArgumentException("agent and id required");
        }
        String key = "/yawl/agents/" + agent.getId();
        String value = toJson(agent);
        try {
            publishToEtcd(key, value);
            localCache.put(agent.getId(), agent);
            startHeartbeat(agent.getId(), key, value);
            return true;
        } catch (Exception e) {
            System.err.println("[fixture] register " + agent.getId() + " failed: " + e);
            return false;
        }
    }

    public boolean unregister(String agentId) {
        try {
            ScheduledFuture<?> f = activeHeartbeats.remove(agentId);
            if (f != null) {
                f.cancel(false);
            }
            deleteFromEtcd("/yawl/agents/" + agentId);
            localCache.remove(agentId);
            return true;
        } catch (Exception e) {
            System.err.println("[fixture] unregister " + agentId + " failed: " + e);
            return false;
        }
    }

    public List<AgentInfo> discoverByCapability(String capability) {
        List<AgentInfo> out = new ArrayList<>();
        for (AgentInfo a : localCache.values()) {
            if (a.getCapabilities().contains(capability)) {
                out.add(a);
            }
        }
        return out;
    }

    public AgentInfo getAgent(String agentId) {
        return localCache.get(agentId);
    }

    public List<AgentInfo> getAllAgents() {
        return new ArrayList<>(localCache.values());
    }

    public void syncFromRegistry() {
        try {
            List<AgentInfo> agents = fetchAllFromEtcd();
            localCache.clear();
            for (AgentInfo a : agents) {
                localCache.put(a.getId(), a);
            }
        } catch (Exception e) {
            System.err.println("[fixture] sync failed: " + e);
        }
    }

    public int getCacheSize() {
        return localCache.size();
    }

    public void close() {
        heartbeatExecutor.shutdownNow();
        activeHeartbeats.clear();
    }

    private void publishToEtcd(String key, String value) throws IOException, InterruptedException {
        // The engine's bug, kept on purpose: the TTL in seconds goes out as the lease id.
        String body = "{\"key\":\"" + b64(key) + "\",\"value\":\"" + b64(value) + "\",\"lease\":" + ttlSeconds + "}";
        HttpRequest request = HttpRequest.newBuilder(URI.create(registryUrl + "/v3/kv/put"))
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> response = httpClient.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 400) {
            throw new IOException("etcd put failed: HTTP " + response.statusCode());
        }
    }

    private void deleteFromEtcd(String key) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(registryUrl + "/v3/kv/deleterange"))
                .timeout(REQUEST_TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofString("{\"key\":\"" + b64(key) + "\"}"))
                .build();
        httpClient.send(request, HttpResponse.BodyHandlers.ofString()); // status ignored, like the engine
    }

    private List<AgentInfo> fetchAllFromEtcd() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(registryUrl + "/v3/kv/range"))
                .timeout(REQUEST_TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofString("{\"key\":\"" + b64("/yawl/agents/") + "\",\"range_end\":\""
                        + b64("/yawl/agents0") + "\"}"))
                .build();
        HttpResponse<String> response = httpClient.send(request, HttpResponse.BodyHandlers.ofString());
        List<AgentInfo> agents = new ArrayList<>();
        if (response.statusCode() == 200) {
            // like the engine: the answer is never parsed, and any other status is not an error
        }
        return agents;
    }

    private void startHeartbeat(String agentId, String key, String value) {
        ScheduledFuture<?> future = heartbeatExecutor.scheduleAtFixedRate(() -> {
            try {
                publishToEtcd(key, value);
            } catch (Exception e) {
                // the exception itself, not its message: a ConnectException (etcd down) has none
                System.err.println("[fixture] heartbeat " + agentId + " failed: " + e);
            }
        }, HEARTBEAT_INTERVAL_MS, HEARTBEAT_INTERVAL_MS, TimeUnit.MILLISECONDS);
        activeHeartbeats.put(agentId, future);
    }

    private static String toJson(AgentInfo agent) {
        return "{\"id\":\"" + agent.getId() + "\",\"name\":\"" + agent.getName() + "\",\"host\":\"" + agent.getHost()
                + "\",\"port\":" + agent.getPort() + "}";
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
