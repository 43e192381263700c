package dev.yawlmetrics.bench.percall;

import dev.yawlmetrics.bench.fleet.LoopbackEtcd;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.yawlfoundation.yawl.integration.autonomous.registry.AgentInfo;
import org.yawlfoundation.yawl.integration.autonomous.registry.EtcdAgentRegistryClient;

import java.lang.reflect.Field;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One heartbeat renewal, exactly the Runnable the client's executor would run every 10 s: without
 * the agent the engine's lambda (publishToEtcd, an HTTP put), with it the agent's wrapper around
 * that lambda plus the etcd advice. The client's executor is swapped (reflection, before register)
 * for one that hands the scheduled Runnable to the benchmark instead of running it, so both
 * variants call the same task directly. The put goes to a loopback etcd stand-in answering 200 "{}":
 * the call is dominated by the HTTP round trip, so expect the added time to be within noise.
 */
@State(Scope.Thread)
public class HeartbeatRenewal extends InstrumentedCall {
    private LoopbackEtcd fakeEtcd;
    private EtcdAgentRegistryClient client;
    private Runnable renewal;

    /** Keeps periodic tasks instead of scheduling them; everything else behaves as usual. */
    static final class CapturingExecutor extends ScheduledThreadPoolExecutor {
        volatile Runnable captured;

        CapturingExecutor() {
            super(1);
        }

        @Override
        public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
            captured = command;
            return super.schedule(() -> { }, 1, TimeUnit.DAYS);
        }
    }

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        fakeEtcd = new LoopbackEtcd(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fake-etcd");
            t.setDaemon(true);
            return t;
        }));
        client = new EtcdAgentRegistryClient(fakeEtcd.url(), 30);
        Field executor = EtcdAgentRegistryClient.class.getDeclaredField("heartbeatExecutor");
        executor.setAccessible(true);
        ((java.util.concurrent.ExecutorService) executor.get(client)).shutdownNow();
        CapturingExecutor capturing = new CapturingExecutor();
        executor.set(client, capturing);
        if (!client.register(new AgentInfo("bench-1", "bench-1", List.of("cap"), "localhost", 9000))) {
            throw new IllegalStateException("register failed against the loopback etcd stand-in");
        }
        renewal = capturing.captured;
        if (renewal == null) {
            throw new IllegalStateException("startHeartbeat scheduled nothing");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        client.close();
        fakeEtcd.close();
    }

    @Override
    protected String recordedSeries(String method) {
        return "yawl_heartbeat_latency_ms_count";
    }

    @Benchmark
    public void renewal() {
        renewal.run();
    }
}
