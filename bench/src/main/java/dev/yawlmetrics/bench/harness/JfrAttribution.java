package dev.yawlmetrics.bench.harness;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Attributes JFR execution samples ({@code jdk.ExecutionSample}) of a time window to our agent.
 *
 * <p>A sample is the agent's when the <em>topmost application frame</em> of its stack (the
 * nearest frame to the leaf that is not JDK code: {@code java.*}, {@code javax.*}, {@code jdk.*},
 * {@code sun.*}, {@code com.sun.*}) is in {@code dev.yawlmetrics.agent} (which includes the shaded
 * Micrometer and Byte Buddy under {@code dev.yawlmetrics.agent.shaded}), i.e. agent code was running
 * or JDK code it called; or when the stack has no application frame at all and the thread is one of
 * the agent's own ({@code yawl-metrics-*}). A sample whose topmost application frame is engine code
 * is the engine's, even when an agent frame sits further down: the agent wraps every renewal
 * ({@code RenewalTask.run} is at the bottom of each renewal's stack), so "any agent frame on the
 * stack" would charge the whole renewal, HTTP put included, to the agent. That count is reported too,
 * as an upper bound. Advice inlined into engine methods shows as engine frames (only the recorder
 * calls it makes are agent frames): the process CPU with and without the agent covers that part.
 */
public final class JfrAttribution {
    public static final String AGENT_PACKAGE = "dev.yawlmetrics.agent.";
    public static final String AGENT_THREAD_PREFIX = "yawl-metrics";

    public long samples;
    /** Samples attributed to the agent (topmost application frame in the agent, or an agent-only thread). */
    public long agentSamples;
    /** Samples with an agent frame anywhere on the stack or on an agent thread (upper bound, see class comment). */
    public long anyAgentFrameSamples;
    /** Topmost agent frame ("Class.method", package shortened) of each agent sample -> count. */
    public final Map<String, Long> agentFrames = new HashMap<>();
    /** Thread name (digits folded to #) -> samples, to see where the CPU goes. */
    public final Map<String, Long> threads = new HashMap<>();

    public static boolean jdkType(String type) {
        return type.startsWith("java.") || type.startsWith("javax.") || type.startsWith("jdk.")
                || type.startsWith("sun.") || type.startsWith("com.sun.");
    }

    public static boolean agentType(String type) {
        return type.startsWith(AGENT_PACKAGE);
    }

    public static final String EXECUTION_SAMPLE = "jdk.ExecutionSample";
    /** JDK 25's experimental CPU-time sampler (JEP 509): also samples threads running native code. */
    public static final String CPU_TIME_SAMPLE = "jdk.CPUTimeSample";

    /** Samples without a stack trace (the sampler failed to walk it), not counted in {@link #samples}. */
    public long noStack;

    /**
     * Reads the samples of the file whose start time is in [from, to): one attribution per event
     * type ({@link #EXECUTION_SAMPLE}, {@link #CPU_TIME_SAMPLE}), present only if the file has any.
     */
    public static Map<String, JfrAttribution> read(Path jfr, Instant from, Instant to) throws IOException {
        Map<String, JfrAttribution> out = new HashMap<>();
        try (RecordingFile f = new RecordingFile(jfr)) {
            while (f.hasMoreEvents()) {
                RecordedEvent e = f.readEvent();
                String type = e.getEventType().getName();
                if (!type.equals(EXECUTION_SAMPLE) && !type.equals(CPU_TIME_SAMPLE)) {
                    continue;
                }
                Instant t = e.getStartTime();
                if (t.isBefore(from) || !t.isBefore(to)) {
                    continue;
                }
                JfrAttribution a = out.computeIfAbsent(type, k -> new JfrAttribution());
                RecordedStackTrace st = e.getStackTrace();
                if (st == null) {
                    a.noStack++;
                    continue;
                }
                RecordedThread th = e.getThread(type.equals(EXECUTION_SAMPLE) ? "sampledThread" : "eventThread");
                List<String> types = new ArrayList<>();
                List<String> methods = new ArrayList<>();
                for (RecordedFrame fr : st.getFrames()) {
                    if (fr.getMethod() == null || fr.getMethod().getType() == null) {
                        continue;
                    }
                    types.add(fr.getMethod().getType().getName());
                    methods.add(fr.getMethod().getName());
                }
                String thread = th == null ? null : th.getJavaName() != null ? th.getJavaName() : th.getOSName();
                a.add(thread == null ? "" : thread, types, methods);
            }
        }
        return out;
    }

    /** One sample: its thread and its frames' declaring types and method names, leaf first. */
    public void add(String thread, List<String> types, List<String> methods) {
        samples++;
        threads.merge(thread.isEmpty() ? "(unnamed: virtual threads)" : thread.replaceAll("\\d+", "#"), 1L, Long::sum);
        int topApp = -1;
        boolean anyAgent = thread.startsWith(AGENT_THREAD_PREFIX);
        for (int i = 0; i < types.size(); i++) {
            String t = types.get(i);
            if (topApp < 0 && !jdkType(t)) {
                topApp = i;
            }
            anyAgent |= agentType(t);
        }
        if (anyAgent) {
            anyAgentFrameSamples++;
        }
        boolean agent = topApp >= 0 ? agentType(types.get(topApp)) : thread.startsWith(AGENT_THREAD_PREFIX);
        if (agent) {
            agentSamples++;
            String frame = thread;
            for (int i = 0; i < types.size(); i++) {
                if (agentType(types.get(i))) {
                    // Hidden classes (lambdas) carry their address in the name: fold it so counts add up.
                    frame = types.get(i).substring(AGENT_PACKAGE.length()).replaceAll("\\$\\$Lambda[./]0x[0-9a-f]+", "\\$\\$Lambda")
                            + "." + methods.get(i);
                    break;
                }
            }
            if (topApp < 0) {
                frame = "(JDK code on thread " + thread.replaceAll("\\d+", "#") + ")";
            }
            agentFrames.merge(frame, 1L, Long::sum);
        }
    }

    public double agentShare() {
        return samples == 0 ? 0 : (double) agentSamples / samples;
    }

    public double anyFrameShare() {
        return samples == 0 ? 0 : (double) anyAgentFrameSamples / samples;
    }

    /** The n largest entries of a count map, largest first. */
    public static List<Map.Entry<String, Long>> top(Map<String, Long> counts, int n) {
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
                .limit(n).toList();
    }
}
