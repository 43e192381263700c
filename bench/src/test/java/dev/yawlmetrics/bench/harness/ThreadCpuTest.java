package dev.yawlmetrics.bench.harness;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ThreadCpuTest {

    @Test
    void threadsOfOnePoolAreOneGroup() {
        // kernel names are cut at 15 characters: "ForkJoinPool-1-worker-2" arrives as "ForkJoinPool-1-"
        assertEquals("ForkJoinPool-N-", ThreadCpu.group("ForkJoinPool-1-"));
        assertEquals("ForkJoinPool-N-", ThreadCpu.group("ForkJoinPool-3-"));
        assertEquals("GC Thread#N", ThreadCpu.group("GC Thread#1"));
        assertEquals("CN CompilerThre", ThreadCpu.group("C2 CompilerThre"));
    }

    @Test
    void ticksAreUtimePlusStimeCountedAfterTheLastParenthesis() {
        // a thread name with a space and a ")" in it; fields 14 (utime) = 7 and 15 (stime) = 5
        String stat = "4242 (odd ) name) S 1 4242 4242 0 -1 4194624 100 0 0 0 7 5 0 0 20 0 1 0 99 0 0";
        assertEquals(12, ThreadCpu.ticks(stat));
    }

    @Test
    void theJitGroupIsRecognisedAndThisJvmHasCompiled() {
        assertTrue(ThreadCpu.isCompiler("CN CompilerThre"));
        assertFalse(ThreadCpu.isCompiler("ForkJoinPool-N-"));
        // a test JVM has JIT-compiled JUnit and this class by now: its compiler threads have CPU
        long jit = ThreadCpu.snapshot(ProcessHandle.current().pid()).entrySet().stream()
                .filter(e -> ThreadCpu.isCompiler(e.getKey())).mapToLong(Map.Entry::getValue).sum();
        assertTrue(jit > 0, "no JIT CPU read from /proc");
    }

    @Test
    void deltaCountsNewGroupsFromZeroAndNeverGoesNegative() {
        Map<String, Long> d = ThreadCpu.delta(Map.of("a", 10L, "gone", 5L, "shrank", 9L), Map.of("a", 25L, "new", 3L, "shrank", 4L));
        assertEquals(Map.of("a", 15L, "new", 3L, "shrank", 0L), d);
        Map<String, Long> sum = new HashMap<>(Map.of("a", 1L));
        ThreadCpu.add(sum, d);
        assertEquals(Map.of("a", 16L, "new", 3L, "shrank", 0L), sum);
    }

    @Test
    void aBusyThreadOfThisProcessShowsUpInItsGroup() throws Exception {
        long pid = ProcessHandle.current().pid();
        Map<String, Long> before = ThreadCpu.snapshot(pid);
        assertFalse(before.containsKey("cpuburner-N"), "group existed before the thread: " + before);
        long[] sink = new long[1];
        Thread busy = new Thread(() -> {
            long end = System.nanoTime() + 600_000_000L;
            while (System.nanoTime() < end) {
                sink[0] += System.nanoTime() & 7;
            }
        }, "cpuburner-7");
        busy.start();
        Thread.sleep(400); // read while it runs: an exited thread's ticks leave /proc with it
        Map<String, Long> during = ThreadCpu.snapshot(pid);
        busy.join();
        assertTrue(during.getOrDefault("cpuburner-N", 0L) > 0, "no ticks for cpuburner-N in " + during);
    }
}
