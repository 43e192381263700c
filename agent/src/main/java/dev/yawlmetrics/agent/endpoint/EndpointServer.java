package dev.yawlmetrics.agent.endpoint;

import dev.yawlmetrics.agent.metrics.EndpointStats;
import dev.yawlmetrics.agent.core.MetricsAgentLog;
import dev.yawlmetrics.agent.core.DaemonThreads;
import dev.yawlmetrics.agent.core.RateLimitedLog;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small HTTP/1.1 server on plain blocking sockets, owned by the agent so that every limit is
 * its own: the JDK's {@code com.sun.net.httpserver} reads its timeouts, idle caps and TCP_NODELAY
 * only from JVM-wide system properties, which would change the engine's own servers too, and it
 * leaks a socket per client that vanishes mid-answer (issue 13).
 *
 * <p>Threads: one acceptor, plus one pooled daemon thread per open connection, at most
 * {@link Limits#maxConnections}. Deadlines (request head, idle keep-alive, response write) are
 * enforced by the acceptor, which wakes every {@link Limits#sweepMillis} and closes the socket
 * of any connection past its deadline (with no connection open it sleeps in accept until a client
 * comes or, with a web config file, until the next check of that file: an idle agent costs the
 * engine's machine no wake-ups); closing unblocks the connection's thread, whose
 * {@code finally} releases everything. When every slot is taken, the connection that has waited
 * longest for a request (slow or idle) is evicted; when none can be, the newcomer is answered
 * 503 (plain HTTP) or closed (TLS, where an answer would need a handshake on the acceptor).
 */
final class EndpointServer {
    /** The limits; fixed by the agent, overridable in tests only. */
    static final class Limits {
        int maxConnections = 64;
        int maxIdleKeepAlive = 16;
        long headMillis = 10_000;
        long idleMillis = 30_000;
        long writeMillis = 30_000;
        long evictableAfterMillis = 200;
        long sweepMillis = 250;
    }

    /** Turns a request into an answer; must not throw (the server answers 500 if it does). */
    interface Handler {
        HttpResponse handle(HttpRequest request, ConnectionPolicy policy);
    }

    private static final byte[] FULL = ("HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\nContent-Length: 24\r\nConnection: close\r\n\r\n"
            + "too many connections; 1\n").getBytes(StandardCharsets.ISO_8859_1);

    final Limits limits;
    private final ServerSocket server;
    private final Handler handler;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final Semaphore slots;
    private final AtomicInteger idle = new AtomicInteger();
    private final ThreadPoolExecutor pool;
    private final Runnable periodic;
    /** Turns of the accept loop; read by tests only (an idle server must not spin). */
    volatile long wakeups;
    private final long periodicNanos;
    private final RateLimitedLog failures = new RateLimitedLog("metrics endpoint: failed connection", 60, TimeUnit.SECONDS);
    private final RateLimitedLog badRequests = new RateLimitedLog("metrics endpoint: bad request", 60, TimeUnit.SECONDS);
    private final RateLimitedLog timeouts = new RateLimitedLog("metrics endpoint: connection closed at its deadline", 60, TimeUnit.SECONDS);
    private final RateLimitedLog overload = new RateLimitedLog("metrics endpoint: connection refused, every slot busy", 60, TimeUnit.SECONDS);
    private final RateLimitedLog acceptErrors = new RateLimitedLog("metrics endpoint: accept failed", 60, TimeUnit.SECONDS);
    private volatile ConnectionPolicy policy;
    private volatile boolean running = true;
    private Thread acceptor;

    EndpointServer(ServerSocket server, Handler handler, ConnectionPolicy policy, Limits limits,
                   Runnable periodic, long periodicMillis) {
        this.server = server;
        this.handler = handler;
        this.policy = policy;
        this.limits = limits;
        this.periodic = periodic;
        this.periodicNanos = TimeUnit.MILLISECONDS.toNanos(periodicMillis);
        this.slots = new Semaphore(limits.maxConnections);
        // Room for a few threads that released their slot but have not yet returned to the pool.
        this.pool = new ThreadPoolExecutor(0, limits.maxConnections + 4, 30, TimeUnit.SECONDS,
                new SynchronousQueue<>(), DaemonThreads.factory("yawl-metrics-http"));
    }

    void start() throws IOException {
        acceptor = DaemonThreads.start("yawl-metrics-http-accept", this::acceptLoop);
    }

    int port() {
        return server.getLocalPort();
    }

    void policy(ConnectionPolicy p) {
        policy = p;
    }

    ConnectionPolicy policy() {
        return policy;
    }

    void stop() {
        running = false;
        closeQuietly(server);
        for (Connection c : connections) {
            c.abort();
        }
        pool.shutdownNow();
    }

    private void acceptLoop() {
        long nextSweep = System.nanoTime();
        long nextPeriodic = System.nanoTime() + periodicNanos;
        while (running) {
            wakeups++;
            Socket s = null;
            try {
                // Connections are added here, on this thread, so an empty set stays empty until
                // the next accept returns: nothing has a deadline, and nothing needs a sweep.
                server.setSoTimeout(acceptTimeoutMillis(System.nanoTime(), nextPeriodic));
                s = server.accept();
            } catch (SocketTimeoutException e) {
                // fall through to the sweep
            } catch (Throwable t) {
                if (!running) {
                    break;
                }
                acceptErrors.warn(String.valueOf(t));
                // e.g. "Too many open files": back off instead of spinning on the error.
                sleepQuietly(100);
            }
            if (s != null) {
                admit(s);
            }
            long now = System.nanoTime();
            if (now - nextSweep >= 0) {
                sweep(now);
                nextSweep = now + TimeUnit.MILLISECONDS.toNanos(limits.sweepMillis);
            }
            if (periodic != null && now - nextPeriodic >= 0) {
                nextPeriodic = now + periodicNanos;
                try {
                    periodic.run();
                } catch (Throwable t) {
                    MetricsAgentLog.error("metrics endpoint: periodic check failed: " + t);
                }
            }
        }
    }

    /** 0 (no timeout) when idle with nothing to watch; else until the next sweep or file check. */
    private int acceptTimeoutMillis(long now, long nextPeriodic) {
        if (!connections.isEmpty()) {
            return (int) limits.sweepMillis;
        }
        if (periodic == null) {
            return 0;
        }
        return (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(nextPeriodic - now) + 1);
    }

    private void admit(Socket s) {
        EndpointStats.connectionOpened();
        try {
            s.setTcpNoDelay(true);
            // Backstop only: the sweep closes the socket at the real deadline.
            s.setSoTimeout((int) (Math.max(limits.idleMillis, limits.headMillis) + 5_000));
        } catch (IOException e) {
            closeAndForget(s);
            return;
        }
        if (!slots.tryAcquire()) {
            evictOne();
            try {
                // The evicted connection's thread frees its slot in its finally; give it time on a busy machine.
                if (!slots.tryAcquire(250, TimeUnit.MILLISECONDS)) {
                    refuse(s);
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                closeAndForget(s);
                return;
            }
        }
        Connection c = new Connection(this, s);
        connections.add(c);
        try {
            pool.execute(c);
        } catch (RejectedExecutionException e) {
            connections.remove(c);
            slots.release();
            refuse(s);
        }
    }

    /** Closes the connection that has waited longest for a request, if it waited long enough. */
    private void evictOne() {
        long now = System.nanoTime();
        Connection oldest = null;
        for (Connection c : connections) {
            if (c.evictableSince(now, limits.evictableAfterMillis) && (oldest == null || c.stateSince < oldest.stateSince)) {
                oldest = c;
            }
        }
        if (oldest != null && oldest.abort()) {
            EndpointStats.countRejected(EndpointStats.Rejection.EVICTED);
        }
    }

    private void refuse(Socket s) {
        EndpointStats.countRejected(EndpointStats.Rejection.CONNECTIONS);
        overload.warn(limits.maxConnections + " connections open");
        if (!policy.tls()) {
            // A fresh socket's send buffer is empty, so this short write cannot block the acceptor.
            try {
                OutputStream out = s.getOutputStream();
                out.write(FULL);
                out.flush();
                EndpointStats.countStatus(503);
                s.shutdownOutput();
                drainAvailable(s);
            } catch (IOException ignored) {
                // the client is gone already
            }
        }
        closeAndForget(s);
    }

    /** Reads what already arrived so close() sends FIN, not RST (which could discard the 503). */
    private static void drainAvailable(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        byte[] sink = new byte[1024];
        int budget = 16 * 1024;
        int n;
        while (budget > 0 && (n = in.available()) > 0) {
            int r = in.read(sink, 0, Math.min(n, sink.length));
            if (r < 0) {
                break;
            }
            budget -= r;
        }
    }

    private void sweep(long now) {
        for (Connection c : connections) {
            if (now - c.deadline > 0 && c.abort()) {
                EndpointStats.countTimedOut();
                timeouts.warn(c.describe(now));
            }
        }
    }

    // --- called by connections --------------------------------------------------------------

    Handler handler() {
        return handler;
    }

    boolean running() {
        return running;
    }

    /** Whether one more connection may stay open idle after its answer. */
    boolean mayKeepIdle() {
        return idle.get() < limits.maxIdleKeepAlive;
    }

    AtomicInteger idle() {
        return idle;
    }

    void badRequest(String detail) {
        badRequests.warn(detail);
    }

    void failed(String detail) {
        failures.warn(detail);
    }

    void closed(Connection c) {
        connections.remove(c);
        EndpointStats.connectionClosed();
        slots.release();
    }

    int freeSlots() {
        return slots.availablePermits();
    }

    int openConnections() {
        return connections.size();
    }

    private static void closeAndForget(Socket s) {
        closeQuietly(s);
        EndpointStats.connectionClosed();
    }

    static void closeQuietly(java.io.Closeable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Throwable ignored) {
            // closing is best effort; the descriptor is released either way
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
