package dev.yawlmetrics.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU clock ticks of a process's threads, summed per thread group, read from /proc/PID/task/*
 * without touching the process (no profiler, no JMX): a capacity window can say where the CPU
 * went in each fork (the executor's carriers, the JIT, the GC, the HTTP client, the etcd
 * stand-in, the agent) at no cost to what it measures.
 *
 * <p>A group is the thread's kernel name (comm, 15 characters at most) with its digits replaced
 * by N, so "ForkJoinPool-1-worker-2" and "-worker-1" are one group ("ForkJoinPool-N-"). A thread
 * that exited between two snapshots takes its last ticks with it; the groups compared here are
 * long-lived (pools, JIT and GC threads).
 */
public final class ThreadCpu {
    private ThreadCpu() {}

    /** Ticks (utime + stime) per group, now. Empty when /proc cannot be read (not Linux, process gone). */
    public static Map<String, Long> snapshot(long pid) {
        Map<String, Long> ticks = new HashMap<>();
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    ticks.merge(group(comm), ticks(stat), Long::sum);
                } catch (IOException | RuntimeException gone) {
                    // the thread exited between the listing and the read
                }
            }
        } catch (IOException e) {
            return Map.of();
        }
        return ticks;
    }

    /**
     * utime + stime of one /proc/.../stat line (a process's or a thread's): fields 14 and 15,
     * counted after the parenthesised name, which may itself hold spaces and parentheses.
     */
    public static long ticks(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** HotSpot's JIT threads ("C1 CompilerThre", "C2 CompilerThre", as a group "CN CompilerThre"). */
    public static boolean isCompiler(String group) {
        return group.contains("CompilerThre");
    }

    static String group(String comm) {
        return comm.replaceAll("[0-9]+", "N");
    }

    /** after − before per group (groups that only exist after count from 0); negative deltas (a thread that exited) as 0. */
    public static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> d = new TreeMap<>();
        for (Map.Entry<String, Long> e : after.entrySet()) {
            d.put(e.getKey(), Math.max(0, e.getValue() - before.getOrDefault(e.getKey(), 0L)));
        }
        return d;
    }

    /** Adds b into a. */
    public static void add(Map<String, Long> a, Map<String, Long> b) {
        b.forEach((k, v) -> a.merge(k, v, Long::sum));
    }
}
