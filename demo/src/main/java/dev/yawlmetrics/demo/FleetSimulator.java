package dev.yawlmetrics.demo;

import org.yawlfoundation.yawl.integration.autonomous.marketplace.AgentMarketplace;
import org.yawlfoundation.yawl.integration.autonomous.marketplace.AgentMarketplaceListing;
import org.yawlfoundation.yawl.integration.autonomous.marketplace.AgentMarketplaceSpec;
import org.yawlfoundation.yawl.integration.autonomous.marketplace.TransitionSlotQuery;
import org.yawlfoundation.yawl.integration.autonomous.registry.AgentInfo;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The YAWL-shaped engine the demo runs with the agent attached: the same classes, the same call
 * paths and the engine's rates (10 s heartbeat period). It takes scenario commands on stdin
 * from the launcher and prints "[fleet] ..." lines about what it did.
 */
public final class FleetSimulator {
    /** The engine client's default TTL, which it also (wrongly) sends as the lease id. */
    public static final long TTL_SECONDS = 30;

    private final int agents;
    private final AgentMarketplace marketplace = new AgentMarketplace();
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, Thread.ofPlatform().daemon().factory());
    private volatile boolean churn;

    private FleetSimulator(int agents) {
        this.agents = agents;
    }

    public static void main(String[] args) throws Exception {
        int agents = 10_000;
        String etcd = "embedded";
        for (String a : args) {
            if (a.startsWith("--agents=")) {
                agents = Integer.parseInt(a.substring(9));
            } else if (a.startsWith("--etcd=")) {
                etcd = a.substring(7);
            }
        }
        FleetSimulator sim = new FleetSimulator(agents);
        EmbeddedEtcd embedded = null;
        if (etcd.equals("embedded")) {
            embedded = new EmbeddedEtcd();
            embedded.start();
            etcd = embedded.url();
        }
        sim.start(etcd);
        sim.commandLoop(embedded);
    }

    private void start(String etcdUrl) {
        for (int i = 0; i < agents; i++) {
            marketplace.publish(listing("agent-" + i));
        }
        say("published " + agents + " marketplace listings (etcd at " + etcdUrl + ")");
        // Marketplace heartbeats: every agent once per 10 s period, spread over the period.
        scheduler.scheduleAtFixedRate(() -> {
            Instant now = Instant.now();
            int perTick = Math.max(1, agents / 100);
            int base = ThreadLocalRandom.current().nextInt(agents);
            for (int i = 0; i < perTick; i++) {
                marketplace.heartbeat("agent-" + ((base + i) % agents), now);
            }
        }, 100, 100, TimeUnit.MILLISECONDS);
        // Discovery traffic: a mix of marketplace queries, as the engine's matchmaking makes them.
        scheduler.scheduleAtFixedRate(this::queries, 200, 200, TimeUnit.MILLISECONDS);
        scheduler.scheduleAtFixedRate(this::churnTick, 1, 1, TimeUnit.SECONDS);
    }

    private void queries() {
        try {
            marketplace.findForTransitionSlot(new TransitionSlotQuery("slot-a", Duration.ofMinutes(5)));
            marketplace.findByNamespace("ns");
            marketplace.findByMaxCost(0.75);
            marketplace.findByMaxLatency(80);
            marketplace.findByWcpPattern("WCP-1");
            marketplace.findById("agent-" + ThreadLocalRandom.current().nextInt(agents), Duration.ofMinutes(5));
            marketplace.liveCount();
        } catch (RuntimeException e) {
            say("query failed: " + e);
        }
    }

    private void churnTick() {
        if (!churn) {
            return;
        }
        int n = Math.max(1, agents / 50);
        for (int i = 0; i < n; i++) {
            String id = "agent-" + ThreadLocalRandom.current().nextInt(agents);
            marketplace.unpublish(id);
            marketplace.publish(listing(id));
        }
    }

    private void commandLoop(EmbeddedEtcd embedded) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            switch (line.trim()) {
                case "etcd-down" -> {
                    if (embedded != null) {
                        embedded.stop();
                        say("embedded etcd stopped");
                    }
                }
                case "etcd-up" -> {
                    if (embedded != null) {
                        embedded.start();
                        say("embedded etcd started again");
                    }
                }
                case "churn on" -> churn = true;
                case "churn off" -> churn = false;
                case "work on", "work off" -> say("work " + line.substring(5));
                default -> say("unknown command " + line);
            }
        }
        // stdin closed: the launcher is gone, so are we.
        System.exit(0);
    }

    static AgentMarketplaceListing listing(String id) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return AgentMarketplaceListing.publishNow(new AgentInfo(id, id, List.of("approve"), "localhost", 8080),
                new AgentMarketplaceSpec("ns", r.nextDouble(), r.nextLong(5, 200), Set.of("WCP-1"), Set.of("slot-a")));
    }

    static void say(String line) {
        System.out.println("[fleet] " + line);
        System.out.flush();
    }
}
