package dev.yawlmetrics.agent.heartbeat;

import dev.yawlmetrics.agent.core.MetricsAgentLog;

import java.lang.instrument.Instrumentation;
import java.lang.ref.WeakReference;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadPoolExecutor;

/**
 * The heartbeat executors of every EtcdAgentRegistryClient in the JVM, held weakly (a client and
 * its executor stay collectable), summed by the gauges. Bounded to {@link #MAX} executors: one
 * client per engine is the normal case.
 *
 * <p>The newer engine's {@code Executors.newSingleThreadScheduledExecutor} returns a JDK-private
 * wrapper whose queue and active count are not reachable through its interface; its private field
 * {@code e} holds the real ScheduledThreadPoolExecutor. Reading it needs java.util.concurrent to be
 * open to the agent, which {@link #openJavaUtilConcurrent} grants at start-up through
 * {@link Instrumentation#redefineModule} (no --add-opens asked of the operator). The agent's module
 * is the system class loader's unnamed module, so every class-path class gains that access too;
 * the log line says so.
 */
final class ExecutorTracker {
    static final int MAX = 64;

    private final List<WeakReference<Executor>> executors = new ArrayList<>();
    private volatile WeakReference<Executor> last = new WeakReference<>(null);
    private volatile boolean moduleOpened;
    private volatile boolean warnedUnreadable;
    private boolean warnedFull;

    /** Called at start-up; without it the single-thread wrapper's gauges read 0 and say so once. */
    void openJavaUtilConcurrent(Instrumentation inst) {
        if (inst == null) {
            return;
        }
        try {
            Module javaBase = Object.class.getModule();
            Module agent = ExecutorTracker.class.getModule();
            if (!javaBase.isOpen("java.util.concurrent", agent)) {
                inst.redefineModule(javaBase, Set.of(), Map.of(), Map.of("java.util.concurrent", Set.of(agent)), Set.of(), Map.of());
                MetricsAgentLog.info("heartbeat: opened java.util.concurrent (module java.base) to " + agent
                        + (agent.isNamed() ? "" : " (the system class loader's unnamed module: the agent and every class-path class)")
                        + " to read the queue behind a single-thread heartbeat executor");
            }
            moduleOpened = true;
        } catch (RuntimeException e) {
            MetricsAgentLog.warn("heartbeat: could not open java.util.concurrent to the agent; the queue of a "
                    + "single-thread heartbeat executor will read 0: " + e);
        }
    }

    void track(Object executor) {
        if (!(executor instanceof Executor) || last.get() == executor) {
            return;
        }
        synchronized (executors) {
            executors.removeIf(r -> r.get() == null);
            for (WeakReference<Executor> r : executors) {
                if (r.get() == executor) {
                    last = r;
                    return;
                }
            }
            if (executors.size() >= MAX) {
                if (!warnedFull) {
                    warnedFull = true;
                    MetricsAgentLog.warn("heartbeat: more than " + MAX + " live EtcdAgentRegistryClient executors; "
                            + "the executor gauges include only the first " + MAX);
                }
                return;
            }
            WeakReference<Executor> ref = new WeakReference<>((Executor) executor);
            executors.add(ref);
            last = ref;
        }
    }

    /** Tasks waiting in the executors' delay queues: O(1) per executor (DelayedWorkQueue.size()). */
    long queueDepth() {
        long sum = 0;
        for (ThreadPoolExecutor pool : pools()) {
            sum += pool.getQueue().size();
        }
        return sum;
    }

    /** Threads running a task right now (O(pool size) per executor, never O(queue)). */
    long activeThreads() {
        long sum = 0;
        for (ThreadPoolExecutor pool : pools()) {
            sum += pool.getActiveCount();
        }
        return sum;
    }

    int tracked() {
        return pools().size();
    }

    private List<ThreadPoolExecutor> pools() {
        List<ThreadPoolExecutor> out = new ArrayList<>();
        synchronized (executors) {
            for (WeakReference<Executor> r : executors) {
                ThreadPoolExecutor pool = unwrap(r.get());
                if (pool != null) {
                    out.add(pool);
                }
            }
        }
        return out;
    }

    private ThreadPoolExecutor unwrap(Executor executor) {
        if (executor == null || executor instanceof ThreadPoolExecutor) {
            return (ThreadPoolExecutor) executor;
        }
        for (Class<?> c = executor.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (!Executor.class.isAssignableFrom(f.getType())) {
                    continue;
                }
                try {
                    f.setAccessible(true);
                    Object inner = f.get(executor);
                    return inner instanceof ThreadPoolExecutor ? (ThreadPoolExecutor) inner : null;
                } catch (RuntimeException | IllegalAccessException e) {
                    if (!warnedUnreadable) {
                        warnedUnreadable = true;
                        MetricsAgentLog.warn("heartbeat: cannot read the queue of " + executor.getClass().getName()
                                + (moduleOpened ? "" : " (java.util.concurrent not opened to the agent)")
                                + "; yawl_heartbeat_executor_queue_depth/active_threads omit it: " + e);
                    }
                    return null;
                }
            }
        }
        return null;
    }
}
