package org.yawlfoundation.yawl.integration.autonomous;

import com.sun.net.httpserver.HttpServer;
import dev.yawlmetrics.fixtures.engine.StubEngine;
import org.yawlfoundation.yawl.engine.interfce.WorkItemRecord;
import org.yawlfoundation.yawl.engine.interfce.interfaceB.InterfaceB_EnvironmentBasedClient;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Fixture with the shape of the engine's GenericPartyAgent (see yawl-targets.md section 3): same
 * fields, member names, descriptors and control flow where the instrumentation depends on it.
 * Our own code; the engine's class is not copied.
 */
public class GenericPartyAgent {
    private final AgentConfiguration config;
    private final InterfaceB_EnvironmentBasedClient ibClient;
    private final AtomicReference<AgentLifecycle> lifecycle;
    private final AtomicBoolean running = new AtomicBoolean(false);
    private HttpServer httpServer;
    private Thread discoveryThread;
    private String sessionHandle;
    private int emptyResultsCount = 0;
    private long backoffMs;
    private final long baseIntervalMs;
    private final long maxBackoffMs = 60_000;
    private final Random jitterRandom = new Random();

    public GenericPartyAgent(AgentConfiguration config) throws IOException {
        this.config = config;
        this.lifecycle = new AtomicReference<>(AgentLifecycle.CREATED);
        this.baseIntervalMs = config.pollIntervalMs();
        this.backoffMs = baseIntervalMs;
        this.ibClient = new InterfaceB_EnvironmentBasedClient(config.getEngineUrl() + "/ib");
        this.sessionHandle = ibClient.connect(config.getUsername(), config.getPassword());
        if (sessionHandle == null || sessionHandle.contains("failure") || sessionHandle.contains("error")) {
            throw new IOException("Failed to connect to YAWL engine: " + sessionHandle);
        }
    }

    public void start() throws IOException {
        if (running.get()) {
            return;
        }
        lifecycle.set(AgentLifecycle.INITIALIZING);
        startHttpServer();
        running.set(true);
        lifecycle.set(AgentLifecycle.DISCOVERING);
        startDiscoveryLoop();
    }

    public void stop() {
        lifecycle.set(AgentLifecycle.STOPPING);
        running.set(false);
        if (discoveryThread != null) {
            discoveryThread.interrupt();
            try {
                discoveryThread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (httpServer != null) {
            httpServer.stop(0);
            httpServer = null;
        }
        if (sessionHandle != null) {
            try {
                ibClient.disconnect(sessionHandle);
            } catch (IOException e) {
                StubEngine.loggedErrors.incrementAndGet();
            }
        }
        lifecycle.set(AgentLifecycle.STOPPED);
    }

    public AgentLifecycle getLifecycle() {
        return lifecycle.get();
    }

    private void startHttpServer() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", config.port()), 0);
        server.createContext("/.well-known/agent.json", exchange -> {
            byte[] body = ("{\"name\":\"" + config.getAgentName() + "\"}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        httpServer = server;
    }

    private void startDiscoveryLoop() {
        discoveryThread = Thread.ofVirtual().name("discovery-" + config.getAgentName()).start(() -> {
            while (running.get()) {
                try {
                    boolean processed = runDiscoveryCycle();
                    if (processed) {
                        emptyResultsCount = 0;
                        backoffMs = baseIntervalMs;
                    } else {
                        emptyResultsCount++;
                        backoffMs = Math.min(baseIntervalMs * (1L << Math.min(emptyResultsCount - 1, 6)), maxBackoffMs);
                    }
                    long jitter = (long) (backoffMs * 0.1 * (2 * jitterRandom.nextDouble() - 1));
                    TimeUnit.MILLISECONDS.sleep(backoffMs + jitter);
                } catch (Exception e) {
                    StubEngine.logError(e);
                }
            }
        });
    }

    private boolean runDiscoveryCycle() throws IOException {
        List<WorkItemRecord> items = config.discoveryStrategy().discoverWorkItems(ibClient, sessionHandle);
        if (items == null || items.isEmpty()) {
            return false;
        }
        boolean processed = false;
        for (WorkItemRecord item : items) {
            if (item.hasLiveStatus() && !WorkItemRecord.statusIsParent.equals(item.getStatus())) {
                processWorkItem(item);
                processed = true;
            }
        }
        return processed;
    }

    private void processWorkItem(WorkItemRecord item) {
        try {
            if (!config.eligibilityReasoner().isEligible(item)) {
                return;
            }
            String checkedOut = ibClient.checkOutWorkItem(item.getID(), sessionHandle);
            if (checkedOut == null || checkedOut.contains("failure") || checkedOut.contains("error")) {
                return;
            }
            String output = config.decisionReasoner().produceOutput(item);
            String checkedIn = ibClient.checkInWorkItem(item.getID(), output, null, sessionHandle);
            if (checkedIn == null || !checkedIn.contains("success")) {
                StubEngine.loggedErrors.incrementAndGet();
            }
        } catch (Exception e) {
            handoff(item, e);
        }
    }

    private void handoff(WorkItemRecord item, Exception cause) {
        StubEngine.loggedErrors.incrementAndGet();
    }
}
