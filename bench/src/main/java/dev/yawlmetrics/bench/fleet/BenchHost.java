package dev.yawlmetrics.bench.fleet;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The YAWL-shaped application the startup, scrape and memory benchmarks fork, with or without a
 * monitoring javaagent. Modes:
 * <ul>
 *   <li>{@code startup}: load every instrumented class, exercise each subsystem with a few agents,
 *       wait until our agent's endpoint is bound when our agent is attached (so its background
 *       start-up is counted, not cut off by the exit), print STARTUP-OK and exit;</li>
 *   <li>{@code serve N}: N agents in every subsystem (or those named in {@code -Dbench.populations}),
 *       every series created, READY, then wait for "exit" on stdin (the scrape benchmark scrapes
 *       meanwhile; "exercise" repeats the instrumented calls, "stats" prints agent-independent
 *       counters such as etcd puts received);</li>
 *   <li>{@code memory N}: heap used after full GCs before and after creating N agents per subsystem
 *       and exercising each; prints "HEAP name before after".</li>
 * </ul>
 */
public final class BenchHost {
    private BenchHost() {}

    public static void main(String[] args) {
        List<Population> populations = Populations.create();
        int status = 0;
        try {
            run(args, populations);
        } catch (Throwable t) {
            t.printStackTrace();
            status = 1;
        } finally {
            for (Population p : populations) {
                try {
                    p.close();
                } catch (Throwable t) {
                    t.printStackTrace();
                    status = 1;
                }
            }
        }
        // An explicit exit: a fixture's non-daemon thread must not keep a benchmark waiting.
        System.exit(status);
    }

    private static void run(String[] args, List<Population> populations) throws Exception {
        switch (args[0]) {
            case "startup" -> {
                int classes = 0;
                for (Population p : populations) {
                    for (String c : p.instrumentedClasses()) {
                        Class.forName(c, true, BenchHost.class.getClassLoader());
                        classes++;
                    }
                    p.populate(10);
                    p.exercise();
                }
                boolean endpoint = AgentPort.awaitBound(10_000) > 0;
                System.out.println("STARTUP-OK classes=" + classes + " yawl-endpoint=" + endpoint);
            }
            case "serve" -> {
                int n = Integer.parseInt(args[1]);
                long t0 = System.nanoTime();
                for (Population p : populations) {
                    p.populate(n);
                    p.exercise();
                }
                System.out.println("READY " + n + " populate_ms=" + (System.nanoTime() - t0) / 1_000_000);
                System.out.flush();
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                String line;
                while ((line = in.readLine()) != null && !line.trim().equals("exit")) {
                    if (line.trim().equals("stats")) {
                        // Counters known without any agent (e.g. etcd puts received), so a plain fork can be compared.
                        StringBuilder sb = new StringBuilder("STATS t=").append(System.currentTimeMillis());
                        for (Population p : populations) {
                            String st = p.stats();
                            sb.append(st.isEmpty() ? "" : " " + st);
                        }
                        System.out.println(sb);
                        System.out.flush();
                    } else if (line.trim().equals("exercise")) {
                        for (Population p : populations) {
                            p.exercise();
                        }
                        System.out.println("OK");
                        System.out.flush();
                    }
                }
            }
            case "memory" -> {
                int n = Integer.parseInt(args[1]);
                MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
                AgentPort.awaitBound(10_000);
                for (Population p : populations) {
                    // A first batch on the same instance, so its one-off costs (client, threads, class
                    // initialisation, meters) are in the baseline and only per-agent bytes remain.
                    p.populate(Math.max(1, n / 10));
                    p.exercise();
                    long before = heapAfterGc(mem);
                    p.populate(n);
                    p.exercise();
                    long after = heapAfterGc(mem);
                    System.out.println("HEAP " + p.name() + " " + before + " " + after);
                }
            }
            default -> throw new IllegalArgumentException("mode: startup | serve N | memory N");
        }
    }

    static long heapAfterGc(MemoryMXBean mem) throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(20);
            used = Math.min(used, mem.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
