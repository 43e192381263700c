package dev.yawlmetrics.agent.heartbeat;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The substituted scheduleAtFixedRate behaves exactly like the executor's own, errors included. */
class HeartbeatRecorderTest {

    @Test
    void theEnginesOwnExceptionsPassThroughUnchanged() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1);
        try {
            assertThrows(NullPointerException.class,
                    () -> HeartbeatRecorder.scheduleAtFixedRate(executor, null, 1, 1, TimeUnit.SECONDS));
            assertThrows(NullPointerException.class,
                    () -> HeartbeatRecorder.scheduleAtFixedRate(executor, () -> {}, 1, 1, null));
            assertThrows(IllegalArgumentException.class,
                    () -> HeartbeatRecorder.scheduleAtFixedRate(executor, () -> {}, 1, 0, TimeUnit.SECONDS));
            assertThrows(NullPointerException.class,
                    () -> HeartbeatRecorder.scheduleAtFixedRate(null, () -> {}, 1, 1, TimeUnit.SECONDS));
            executor.shutdown();
            assertThrows(java.util.concurrent.RejectedExecutionException.class,
                    () -> HeartbeatRecorder.scheduleAtFixedRate(executor, () -> {}, 1, 1, TimeUnit.SECONDS));
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void theWrappedLambdaRunsAtTheRequestedRateAndCanBeCancelled() throws Exception {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1);
        try {
            CountDownLatch runs = new CountDownLatch(3);
            ScheduledFuture<?> f = HeartbeatRecorder.scheduleAtFixedRate(executor, runs::countDown, 10, 10, TimeUnit.MILLISECONDS);
            assertTrue(runs.await(10, TimeUnit.SECONDS));
            assertTrue(f.cancel(false));
            assertTrue(f.isCancelled());
        } finally {
            executor.shutdownNow();
        }
    }
}
