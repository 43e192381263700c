package dev.yawlmetrics.agent.heartbeat;

import dev.yawlmetrics.agent.targets.EtcdOutcome;
import dev.yawlmetrics.agent.metrics.MetricsAgentRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeartbeatMetricsTest {

    @Test
    void exportedNamesAndValues() {
        PrometheusMeterRegistry registry = MetricsAgentRegistry.newRegistry(Map.of());
        ExecutorTracker executors = new ExecutorTracker();
        HeartbeatMetrics metrics = new HeartbeatMetrics(registry, executors);
        metrics.recordRenewal(EtcdOutcome.SUCCESS, 4_000_000, 0, false);
        metrics.recordRenewal(EtcdOutcome.ERROR, 120_000_000, 2_500_000_000L, false);
        metrics.recordRenewal(EtcdOutcome.SUCCESS, 4_000_000, -5, true);
        metrics.recordManualReconnect();
        String text = registry.scrape();
        assertTrue(text.contains("yawl_heartbeat_latency_ms_bucket{le=\"100.0\"} 2"), text);
        assertTrue(text.contains("yawl_heartbeat_latency_ms_count 3"), text);
        assertTrue(text.contains("yawl_heartbeat_renewal_success_total{outcome=\"success\"} 2.0"), text);
        assertTrue(text.contains("yawl_heartbeat_renewal_success_total{outcome=\"error\"} 1.0"), text);
        assertTrue(text.contains("yawl_heartbeat_renewal_success_total{outcome=\"timeout\"} 0.0"), text);
        assertTrue(text.contains("yawl_heartbeat_executor_task_count_total 3.0"), text);
        assertTrue(text.contains("yawl_heartbeat_renewal_lateness_ms_bucket{le=\"1000.0\"} 2"), text);
        assertTrue(text.contains("yawl_heartbeat_renewal_lateness_ms_bucket{le=\"2500.0\"} 3"), text);
        assertTrue(text.contains("yawl_agent_reconnect_count_total{reason=\"heartbeat_miss\"} 1.0"), text);
        assertTrue(text.contains("yawl_agent_reconnect_count_total{reason=\"manual\"} 1.0"), text);
        assertTrue(text.contains("yawl_heartbeat_executor_queue_depth 0.0"), text);
        assertTrue(text.contains("yawl_heartbeat_executor_active_threads 0.0"), text);
    }

    @Test
    void theTaskCountIsTheSumOfTheOutcomesAndOutlivesItsBuilder() throws InterruptedException {
        PrometheusMeterRegistry registry = MetricsAgentRegistry.newRegistry(Map.of());
        record(registry);
        // The function counter holds its object weakly; nothing but the registry holds the meters
        // now (as after Meters rebuilds them), so a weakly held array would read NaN after a GC.
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(20);
        }
        String text = registry.scrape();
        assertTrue(text.contains("yawl_heartbeat_executor_task_count_total 3.0"), text);
    }

    private static void record(PrometheusMeterRegistry registry) {
        HeartbeatMetrics metrics = new HeartbeatMetrics(registry, new ExecutorTracker());
        metrics.recordRenewal(EtcdOutcome.SUCCESS, 1, 0, false);
        metrics.recordRenewal(EtcdOutcome.TIMEOUT, 1, 0, false);
        metrics.recordRenewal(EtcdOutcome.ERROR, 1, 0, false);
    }

    @Test
    void heartbeatMissIsTheFirstSuccessAfterFailures() {
        RenewalTask task = new RenewalTask(() -> {}, System.nanoTime(), 10, 10, TimeUnit.SECONDS);
        assertFalse(task.completeAndCheckRecovery(true));
        assertFalse(task.completeAndCheckRecovery(false));
        assertFalse(task.completeAndCheckRecovery(false));
        assertTrue(task.completeAndCheckRecovery(true), "first success after two failures");
        assertFalse(task.completeAndCheckRecovery(true));
    }

    @Test
    void aRenewalWithoutAPutIsAnError() {
        RenewalTask task = new RenewalTask(() -> {}, System.nanoTime(), 10, 10, TimeUnit.SECONDS);
        task.currentOutcome = RenewalTask.NONE;
        assertEquals(EtcdOutcome.ERROR, task.outcome());
        task.currentOutcome = (byte) (EtcdOutcome.TIMEOUT.ordinal() + 1);
        assertEquals(EtcdOutcome.TIMEOUT, task.outcome());
    }

    @Test
    void trackerSumsPoolsAndForgetsCollectedExecutors() throws Exception {
        ExecutorTracker tracker = new ExecutorTracker();
        ScheduledThreadPoolExecutor a = new ScheduledThreadPoolExecutor(1);
        ScheduledThreadPoolExecutor b = new ScheduledThreadPoolExecutor(1);
        try {
            for (int i = 0; i < 3; i++) {
                a.scheduleAtFixedRate(() -> {}, 1, 1, TimeUnit.HOURS);
            }
            b.scheduleAtFixedRate(() -> {}, 1, 1, TimeUnit.HOURS);
            tracker.track(a);
            tracker.track(a);
            tracker.track(b);
            assertEquals(4, tracker.queueDepth());
            assertEquals(2, tracker.tracked());
        } finally {
            a.shutdownNow();
            b.shutdownNow();
        }
        ExecutorTracker weak = new ExecutorTracker();
        weak.track(new ThreadPoolExecutor(0, 1, 1, TimeUnit.SECONDS, new java.util.concurrent.SynchronousQueue<>()) {});
        for (int i = 0; i < 50 && weak.tracked() > 0; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertEquals(0, weak.tracked(), "the tracker does not keep an executor alive");
    }

    @Test
    void privateWrapperWithoutModuleAccessReadsZeroAndNeverThrows() {
        ExecutorTracker tracker = new ExecutorTracker(); // no Instrumentation here: java.util.concurrent stays closed
        ScheduledExecutorService single = Executors.newSingleThreadScheduledExecutor();
        try {
            single.scheduleAtFixedRate(() -> {}, 1, 1, TimeUnit.HOURS);
            tracker.track(single);
            assertEquals(0, tracker.queueDepth());
            assertEquals(0, tracker.activeThreads());
        } finally {
            single.shutdownNow();
        }
    }
}
