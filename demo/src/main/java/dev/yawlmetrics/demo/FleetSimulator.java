package dev.yawlmetrics.demo;

import dev.yawlmetrics.fixtures.agents.AgentFactory;
import dev.yawlmetrics.fixtures.engine.StubEngine;
import org.yawlfoundation.yawl.integration.autonomous.GenericPartyAgent;
import org.yawlfoundation.yawl.integration.autonomous.marketplace.AgentMarketplace;
import org.yawlfoundation.yawl.integration.autonomous.marketplace.AgentMarketplaceListing;
import org.yawlfoundation.yawl.integration.autonomous.marketplace.AgentMarketplaceSpec;
import org.yawlfoundation.yawl.integration.autonomous.marketplace.TransitionSlotQuery;
import org.yawlfoundation.yawl.integration.autonomous.registry.AgentInfo;
import org.yawlfoundation.yawl.integration.autonomous.registry.EtcdAgentRegistryClient;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The YAWL-shaped engine the demo (and the live ops tests) run with the agent attached. It uses
 * the engine's classes on the engine's paths:
 * <ul>
 *   <li>one {@code EtcdAgentRegistryClient} registering every agent; each registration schedules
 *       the engine's own heartbeat renewal (10 s period, or {@code -Dfixture.heartbeat.periodMs});</li>
 *   <li>one {@code AgentMarketplace} with a listing per agent, heartbeats at the same period, and
 *       matchmaking queries of every kind;</li>
 *   <li>{@code GenericPartyAgent}s started for real (HTTP server, discovery loop with the engine's
 *       backoff) against a stub engine whose work comes and goes. Each binds a port and a
 *       platform dispatcher thread, as in the engine, so only the first {@code --party-agents}
 *       (default 200) run their loops; the rest of the fleet is registered and listed.</li>
 * </ul>
 * Commands arrive on stdin (one per line, answered "OK ..."): {@code work on|off},
 * {@code etcd-down}/{@code etcd-up} (embedded etcd only), {@code surge on|off} (as many agents
 * again join, a twentieth of the fleet per second; "off" makes them leave at the same pace),
 * {@code status}. {@code --etcd-delay-ms=N} puts etcd N ms away (a loopback proxy that holds each
 * answer back), as a network hop would.
 */
public final class FleetSimulator {
    /** The engine client's default TTL, which it also (wrongly) sends as the lease id. */
    public static final long TTL_SECONDS = 30;
    /** Work found on this share of discovery cycles while work is "on". */
    static final int WORK_PERCENT = 70;

    private final int agents;
    private final int partyAgents;
    private final long baseIntervalMs;
    private final long periodMs = Long.getLong("fixture.heartbeat.periodMs", 10_000L);
    private final AgentMarketplace marketplace = new AgentMarketplace();
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, Thread.ofPlatform().daemon().factory());
    private final ExecutorService io = Executors.newVirtualThreadPerTaskExecutor();
    private final ConcurrentLinkedDeque<GenericPartyAgent> running = new ConcurrentLinkedDeque<>();
    private final AtomicInteger nextId;
    private EtcdAgentRegistryClient registry;
    /** Agents that joined during a surge and have not left yet (ids agent-N, N >= agents). */
    private final ConcurrentLinkedDeque<String> surged = new ConcurrentLinkedDeque<>();
    private volatile int surge; // +1 joining, -1 leaving, 0 settled

    private FleetSimulator(int agents, int partyAgents, long baseIntervalMs) {
        this.agents = agents;
        this.partyAgents = Math.min(agents, partyAgents);
        this.baseIntervalMs = baseIntervalMs;
        this.nextId = new AtomicInteger(agents);
    }

    public static void main(String[] args) throws Exception {
        int agents = 10_000;
        int party = 200;
        long base = 250;
        String etcd = "embedded";
        long etcdDelayMs = 0;
        for (String a : args) {
            if (a.startsWith("--agents=")) {
                agents = Integer.parseInt(a.substring(9));
            } else if (a.startsWith("--etcd=")) {
                etcd = a.substring(7);
            } else if (a.startsWith("--party-agents=")) {
                party = Integer.parseInt(a.substring(15));
            } else if (a.startsWith("--etcd-delay-ms=")) {
                etcdDelayMs = Long.parseLong(a.substring(16));
            } else if (a.startsWith("--base-interval-ms=")) {
                base = Long.parseLong(a.substring(19));
            }
        }
        FleetSimulator sim = new FleetSimulator(agents, party, base);
        EmbeddedEtcd embedded = null;
        if (etcd.equals("embedded")) {
            embedded = new EmbeddedEtcd();
            embedded.start();
            etcd = embedded.url();
        }
        if (etcdDelayMs > 0) {
            java.net.URI u = java.net.URI.create(etcd);
            dev.yawlmetrics.testsupport.DelayProxy proxy = new dev.yawlmetrics.testsupport.DelayProxy(u.getPort(), etcdDelayMs);
            say("etcd is " + etcdDelayMs + " ms away: renewals go through a delaying proxy " + proxy.url() + " -> " + etcd);
            etcd = proxy.url();
        }
        sim.start(etcd);
        sim.commandLoop(embedded);
    }

    private void start(String etcdUrl) throws Exception {
        StubEngine.workPercent = WORK_PERCENT;
        registry = new EtcdAgentRegistryClient(etcdUrl, TTL_SECONDS);
        long t0 = System.nanoTime();
        int registered = registerAll(0, agents);
        say("registered " + registered + "/" + agents + " agents with etcd at " + etcdUrl + " in "
                + (System.nanoTime() - t0) / 1_000_000 + " ms; renewals every " + periodMs + " ms"
                + (registered < agents ? " (failed registrations: see yawl_etcd_requests_total{query_type=\"publish\"})" : ""));
        for (int i = 0; i < agents; i++) {
            marketplace.publish(listing("agent-" + i));
        }
        say("published " + agents + " marketplace listings");
        for (int i = 0; i < partyAgents; i++) {
            startPartyAgent("party-" + i);
        }
        say("started " + running.size() + " GenericPartyAgents (base discovery interval " + baseIntervalMs + " ms, work on "
                + WORK_PERCENT + "% of cycles)");
        // Marketplace heartbeats: every agent once per period, spread over the period.
        long tick = 100;
        scheduler.scheduleAtFixedRate(() -> {
            Instant now = Instant.now();
            int perTick = (int) Math.max(1, agents * tick / periodMs);
            int base = ThreadLocalRandom.current().nextInt(agents);
            for (int i = 0; i < perTick; i++) {
                marketplace.heartbeat("agent-" + ((base + i) % agents), now);
            }
        }, tick, tick, TimeUnit.MILLISECONDS);
        scheduler.scheduleAtFixedRate(this::queries, 200, 200, TimeUnit.MILLISECONDS);
        scheduler.scheduleAtFixedRate(this::surgeTick, 1, 1, TimeUnit.SECONDS);
        scheduler.scheduleAtFixedRate(() -> io.submit(registry::syncFromRegistry), 5, 15, TimeUnit.SECONDS);
        System.out.println("HOST READY");
        System.out.flush();
    }

    /** Registers agents [from, to) with bounded concurrency; returns how many succeeded. */
    private int registerAll(int from, int to) throws InterruptedException {
        Semaphore inFlight = new Semaphore(64);
        AtomicInteger ok = new AtomicInteger();
        List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
        for (int i = from; i < to; i++) {
            String id = "agent-" + i;
            inFlight.acquire();
            futures.add(io.submit(() -> {
                try {
                    if (registry.register(new AgentInfo(id, id, List.of("approve"), "127.0.0.1", 8080))) {
                        ok.incrementAndGet();
                    }
                } finally {
                    inFlight.release();
                }
            }));
        }
        for (java.util.concurrent.Future<?> f : futures) {
            try {
                f.get();
            } catch (java.util.concurrent.ExecutionException e) {
                // counted by the agent; the engine's register() reports failures by its result
            }
        }
        return ok.get();
    }

    private void startPartyAgent(String name) {
        try {
            GenericPartyAgent agent = AgentFactory.create(name, freePort(), baseIntervalMs);
            agent.start();
            running.add(agent);
        } catch (IOException e) {
            say("agent " + name + " did not start: " + e.getMessage());
        }
    }

    private void queries() {
        try {
            marketplace.findForTransitionSlot(new TransitionSlotQuery("slot-a", Duration.ofMinutes(5)));
            marketplace.findByNamespace("ns");
            marketplace.findByMaxCost(0.75);
            marketplace.findByMaxLatency(80);
            marketplace.findByWcpPattern("WCP-1");
            marketplace.findById("agent-" + ThreadLocalRandom.current().nextInt(agents), Duration.ofMinutes(5));
            marketplace.allLiveListings();
            marketplace.liveCount();
        } catch (RuntimeException e) {
            say("query failed: " + e);
        }
    }

    /** Surge: a twentieth of the fleet joins every second until the fleet has doubled; then leaves at that pace. */
    private void surgeTick() {
        int step = Math.max(1, agents / 20);
        if (surge > 0) {
            for (int i = 0; i < step && surged.size() < agents; i++) {
                String joining = "agent-" + nextId.getAndIncrement();
                surged.add(joining);
                io.submit(() -> {
                    registry.register(new AgentInfo(joining, joining, List.of("approve"), "127.0.0.1", 8080));
                    marketplace.publish(listing(joining));
                });
            }
        } else if (surge < 0) {
            for (int i = 0; i < step; i++) {
                String leaving = surged.pollFirst();
                if (leaving == null) {
                    break;
                }
                io.submit(() -> {
                    registry.unregister(leaving);
                    marketplace.unpublish(leaving);
                });
            }
        }
    }

    private void commandLoop(EmbeddedEtcd embedded) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String command = line.trim();
            String answer;
            switch (command) {
                case "etcd-down" -> {
                    if (embedded != null) {
                        embedded.stop();
                    }
                    answer = embedded != null ? "embedded etcd stopped" : "etcd is external; stop it yourself";
                }
                case "etcd-up" -> {
                    if (embedded != null) {
                        embedded.start();
                    }
                    answer = embedded != null ? "embedded etcd started again" : "etcd is external";
                }
                case "surge on" -> {
                    surge = 1;
                    answer = "surge on";
                }
                case "surge off" -> {
                    surge = -1;
                    answer = "surge off";
                }
                case "work on" -> {
                    StubEngine.workPercent = WORK_PERCENT;
                    answer = "work on";
                }
                case "work off" -> {
                    StubEngine.workPercent = 0;
                    answer = "work off";
                }
                case "status" -> answer = "agents=" + agents + " surged=" + surged.size() + " party=" + running.size() + " discovery=" + StubEngine.discoveryCalls.get();
                case "exit" -> {
                    System.out.println("OK bye");
                    System.exit(0);
                    return;
                }
                default -> answer = null;
            }
            System.out.println(answer == null ? "ERR unknown command " + command : "OK " + answer);
            System.out.flush();
        }
        // stdin closed: the launcher is gone, so are we.
        System.exit(0);
    }

    private static int freePort() {
        return dev.yawlmetrics.testsupport.FreePorts.next();
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
