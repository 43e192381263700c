package dev.yawlmetrics.agent.heartbeat;

import dev.yawlmetrics.agent.metrics.MetricsAgentHealth;
import dev.yawlmetrics.agent.config.InstrumentationName;
import dev.yawlmetrics.agent.targets.EtcdOutcome;
import dev.yawlmetrics.agent.metrics.Meters;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * What the code inlined into EtcdAgentRegistryClient calls. Public and static because that code
 * runs inside the engine's class; nothing here throws into the engine, except that
 * {@link #scheduleAtFixedRate} passes on, unchanged, whatever the engine's own call throws.
 */
public final class HeartbeatRecorder {
    private HeartbeatRecorder() {}

    static final ExecutorTracker EXECUTORS = new ExecutorTracker();

    /** The renewal running on this thread (a one-element array: no ThreadLocal.set per renewal). */
    private static final ThreadLocal<RenewalTask[]> CURRENT = ThreadLocal.withInitial(() -> new RenewalTask[1]);

    private static final ClassValue<MethodHandle> GET_ID = new ClassValue<MethodHandle>() {
        @Override
        protected MethodHandle computeValue(Class<?> type) {
            try {
                return MethodHandles.publicLookup().findVirtual(type, "getId", MethodType.methodType(String.class));
            } catch (ReflectiveOperationException e) {
                return null;
            }
        }
    };

    /** Bound by the module's install step, built on first use, unbound at detach (null then: nothing is recorded). */
    static final Meters<HeartbeatMetrics> METRICS = Meters.of(context -> new HeartbeatMetrics(context.registry(), EXECUTORS));

    static void init() {
        METRICS.get();
    }

    /**
     * Replaces the engine's {@code heartbeatExecutor.scheduleAtFixedRate(lambda, ...)} inside
     * startHeartbeat: same executor, same delays, the lambda wrapped in a {@link RenewalTask}.
     */
    public static ScheduledFuture<?> scheduleAtFixedRate(ScheduledExecutorService executor, Runnable command,
                                                         long initialDelay, long period, TimeUnit unit) {
        Runnable task = command;
        try {
            if (command != null && unit != null && period > 0 && executor != null) {
                EXECUTORS.track(executor);
                task = new RenewalTask(command, System.nanoTime(), initialDelay, period, unit);
            }
        } catch (Throwable t) {
            task = command;
            MetricsAgentHealth.recordingError(InstrumentationName.HEARTBEAT, t);
        }
        return executor.scheduleAtFixedRate(task, initialDelay, period, unit);
    }

    static RenewalTask[] renewalStarted(RenewalTask task) {
        try {
            RenewalTask[] current = CURRENT.get();
            current[0] = task;
            return current;
        } catch (Throwable t) {
            MetricsAgentHealth.recordingError(InstrumentationName.HEARTBEAT, t);
            return null;
        }
    }

    static void renewalFinished(RenewalTask task, RenewalTask[] current, long startNanos, long latenessNanos) {
        long elapsed = System.nanoTime() - startNanos;
        try {
            if (current != null) {
                current[0] = null;
            }
            EtcdOutcome outcome = task.outcome();
            boolean recovered = task.completeAndCheckRecovery(outcome == EtcdOutcome.SUCCESS);
            HeartbeatMetrics m = METRICS.get();
            if (m != null) {
                m.recordRenewal(outcome, elapsed, latenessNanos, recovered);
            }
        } catch (Throwable t) {
            MetricsAgentHealth.recordingError(InstrumentationName.HEARTBEAT, t);
        }
    }

    /**
     * Entry of the renewal lambda, woven only after a late attach: a heartbeat the engine scheduled
     * before the attach runs without a {@link RenewalTask} around it, so this run is timed here
     * instead. Returns null inside a wrapper (that one times the run) so nothing counts twice.
     */
    public static Object unscheduledRenewalStarted(Object heartbeatExecutor) {
        try {
            RenewalTask[] current = CURRENT.get();
            if (current[0] != null) {
                return null;
            }
            EXECUTORS.track(heartbeatExecutor);
            RenewalTask run = RenewalTask.unscheduled(System.nanoTime());
            current[0] = run;
            return run;
        } catch (Throwable t) {
            MetricsAgentHealth.recordingError(InstrumentationName.HEARTBEAT, t);
            return null;
        }
    }

    /** Exit of the renewal lambda (returned or threw) after {@link #unscheduledRenewalStarted}. */
    public static void unscheduledRenewalFinished(Object token) {
        if (token instanceof RenewalTask) {
            RenewalTask run = (RenewalTask) token;
            renewalFinished(run, CURRENT.get(), run.unscheduledStart(), HeartbeatMetrics.UNKNOWN_LATENESS);
        }
    }

    /** Exit of publishToEtcd: gives the outcome to the renewal running on this thread, if any. */
    public static void publishFinished(Throwable thrown) {
        try {
            RenewalTask task = CURRENT.get()[0];
            if (task != null) {
                task.currentOutcome = (byte) (EtcdOutcome.of(thrown).ordinal() + 1);
            }
        } catch (Throwable t) {
            MetricsAgentHealth.recordingError(InstrumentationName.HEARTBEAT, t);
        }
    }

    /** Entry of register(AgentInfo): a register for an id that still has an active heartbeat. */
    public static void registerCalled(Object agentInfo, Object activeHeartbeats) {
        try {
            if (agentInfo == null || !(activeHeartbeats instanceof Map)) {
                return;
            }
            MethodHandle getId = GET_ID.get(agentInfo.getClass());
            if (getId == null) {
                return;
            }
            Object id = getId.invoke(agentInfo);
            if (id != null && ((Map<?, ?>) activeHeartbeats).containsKey(id)) {
                HeartbeatMetrics m = METRICS.get();
                if (m != null) {
                    m.recordManualReconnect();
                }
            }
        } catch (Throwable t) {
            MetricsAgentHealth.recordingError(InstrumentationName.HEARTBEAT, t);
        }
    }

    /** Exit of each constructor: remember the client's heartbeat executor (weakly) for the gauges. */
    public static void clientCreated(Object heartbeatExecutor) {
        try {
            EXECUTORS.track(heartbeatExecutor);
        } catch (Throwable t) {
            MetricsAgentHealth.recordingError(InstrumentationName.HEARTBEAT, t);
        }
    }
}
