package dev.yawlmetrics.agent.endpoint;

import dev.yawlmetrics.agent.metrics.EndpointStats;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One client connection on its own pooled thread: read a request head, answer, repeat while
 * keep-alive is allowed. Every exit path (client gone, write failed, deadline, malformed
 * request, handler failure) goes through the one {@code finally} that closes the socket and
 * gives the slot back.
 */
final class Connection implements Runnable {
    enum State { READING, BUSY }

    private final EndpointServer server;
    private final Socket raw;
    private final AtomicBoolean aborted = new AtomicBoolean();
    private final long openedAt = System.nanoTime();
    volatile State state = State.READING;
    volatile long stateSince = openedAt;
    volatile long deadline;
    private int served;
    private boolean countedIdle;

    Connection(EndpointServer server, Socket raw) {
        this.server = server;
        this.raw = raw;
        this.deadline = openedAt + TimeUnit.MILLISECONDS.toNanos(server.limits.headMillis);
    }

    @Override
    public void run() {
        Socket socket = raw;
        try {
            ConnectionPolicy policy = server.policy();
            socket = policy.wrap(raw);
            HttpRequest.Reader reader = new HttpRequest.Reader(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            while (!aborted.get()) {
                enterReading();
                HttpRequest request;
                try {
                    request = reader.next();
                } catch (HttpRequest.BadRequest e) {
                    leaveIdle();
                    enter(State.BUSY, server.limits.writeMillis);
                    server.badRequest("answered " + e.status + ": " + e.getMessage());
                    HttpResponse bad = HttpResponse.text(e.status, e.getMessage() + "\n");
                    EndpointStats.countStatus(bad.status);
                    bad.writeTo(out, false, policy.headers());
                    return;
                }
                leaveIdle();
                if (request == null) {
                    return;
                }
                enter(State.BUSY, server.limits.writeMillis);
                HttpResponse response = answer(request, policy);
                boolean keepAlive = server.running() && request.wantsKeepAlive() && !request.hasBody()
                        && !response.close && server.mayKeepIdle();
                EndpointStats.countStatus(response.status);
                response.writeTo(out, keepAlive, policy.headers());
                served++;
                if (!keepAlive) {
                    return;
                }
            }
        } catch (Throwable t) {
            if (!aborted.get()) {
                server.failed(describe(System.nanoTime()) + ": " + t);
            }
        } finally {
            leaveIdle();
            EndpointServer.closeQuietly(socket);
            if (socket != raw) {
                EndpointServer.closeQuietly(raw);
            }
            server.closed(this);
        }
    }

    private HttpResponse answer(HttpRequest request, ConnectionPolicy policy) {
        try {
            return server.handler().handle(request, policy);
        } catch (Throwable t) {
            server.failed("request " + request.method + " failed: " + t);
            HttpResponse r = HttpResponse.text(500, "internal error: " + t.getClass().getSimpleName() + "\n");
            r.close = true;
            return r;
        }
    }

    private void enterReading() {
        long millis = served == 0 ? server.limits.headMillis : server.limits.idleMillis;
        if (served > 0) {
            server.idle().incrementAndGet();
            countedIdle = true;
        }
        enter(State.READING, millis);
    }

    private void leaveIdle() {
        if (countedIdle) {
            countedIdle = false;
            server.idle().decrementAndGet();
        }
    }

    private void enter(State s, long millis) {
        long now = System.nanoTime();
        deadline = now + TimeUnit.MILLISECONDS.toNanos(millis);
        stateSince = now;
        state = s;
    }

    boolean evictableSince(long now, long minMillis) {
        return state == State.READING && now - stateSince >= TimeUnit.MILLISECONDS.toNanos(minMillis);
    }

    /**
     * Closes the underlying socket from another thread (deadline, eviction, stop); the blocked
     * read or write of this connection's thread then fails and its finally cleans up.
     *
     * @return false when it was aborted already
     */
    boolean abort() {
        if (!aborted.compareAndSet(false, true)) {
            return false;
        }
        EndpointServer.closeQuietly(raw);
        return true;
    }

    String describe(long now) {
        return "connection from " + raw.getInetAddress() + " " + state.name().toLowerCase(java.util.Locale.ROOT)
                + " for " + TimeUnit.NANOSECONDS.toMillis(now - stateSince) + " ms after " + served + " answers";
    }
}
