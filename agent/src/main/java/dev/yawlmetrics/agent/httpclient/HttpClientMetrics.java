package dev.yawlmetrics.agent.httpclient;

import dev.yawlmetrics.agent.metrics.Buckets;
import dev.yawlmetrics.agent.metrics.LeanHistogram;
import dev.yawlmetrics.agent.metrics.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The java.net.http client meters; plain Java, unit-testable without an agent.
 *
 * <p>A request is <em>active</em> from the moment the client accepts it ({@code send} or
 * {@code sendAsync} entered) until the caller has its outcome: {@code send} returns or throws, or
 * the future {@code sendAsync} handed to the caller completes (normally, exceptionally, or by
 * cancellation). It is <em>pending</em> while active and the caller cannot use a response yet:
 * for {@code sendAsync}, until the final response's status line and headers arrive (queued for a
 * connection, connecting, TLS, sending, waiting for the server, following redirects), after which
 * it is only reading the body; for {@code send}, until send returns, since its caller gets the
 * headers and the body together. Not watching a synchronous send's headers keeps the agent's code
 * off the client's threads for every etcd call the engine makes (docs/benchmarks.md).
 */
public final class HttpClientMetrics {
    static final String[] METHODS = {"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "OTHER"};
    static final String[] STATUS_CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx", "none"};
    static final int STATUS_NONE = 5;
    static final String OTHER_HOST = "other";
    static final String TIMEOUT_CONNECT = "connect";
    static final String TIMEOUT_REQUEST = "request";

    private final MeterRegistry registry;
    private final int capacity;
    /** Allowed hosts (lower case); empty = no host label at all. */
    private final List<String> hosts;
    /** Asynchronous requests in flight, and those of them still waiting for their headers. */
    private final AtomicLong active = new AtomicLong();
    private final AtomicLong pending = new AtomicLong();
    /**
     * Synchronous sends in flight: active and pending both, as one count (one atomic add at each
     * end of a send, on the caller's thread, instead of four, two of them on the client's thread).
     */
    private final AtomicLong sendsInFlight = new AtomicLong();
    /** [host][method][status], created on first use so unused combinations export nothing. */
    private final AtomicReferenceArray<Counter> sent;
    private final AtomicReferenceArray<Counter> timeouts;
    /** Lean (no _max): recorded on every request the engine makes, heartbeat renewals included. */
    private final LeanHistogram[] latency;

    public HttpClientMetrics(MeterRegistry registry, int capacity, List<String> hosts) {
        this.registry = registry;
        this.capacity = Math.max(1, capacity);
        this.hosts = List.copyOf(hosts);
        int hostSlots = hostSlots();
        this.sent = new AtomicReferenceArray<>(hostSlots * METHODS.length * STATUS_CLASSES.length);
        this.timeouts = new AtomicReferenceArray<>(hostSlots * 2);
        String[] hostLabels = new String[hostSlots];
        for (int h = 0; h < hostSlots; h++) {
            hostLabels[h] = h < this.hosts.size() ? this.hosts.get(h) : OTHER_HOST;
        }
        this.latency = LeanHistogram.register(registry, MetricNames.HTTP_REQUEST_LATENCY,
                "java.net.http requests: from send/sendAsync until the caller has the outcome (send returns or throws,"
                        + " sendAsync's future completes: response and body handled, failed or cancelled), ms",
                Buckets.LATENCY_MS, this.hosts.isEmpty() ? null : "host", hostLabels);
        for (int h = 0; h < hostSlots; h++) {
            // Timeout counters exist at 0 from the start (a bounded 2 per host slot), so
            // rate() and the timeout alert see a series before the first timeout happens.
            timeoutCounter(h, TIMEOUT_CONNECT);
            timeoutCounter(h, TIMEOUT_REQUEST);
        }
        Gauge.builder(MetricNames.HTTP_CONNECTIONS_ACTIVE, this, HttpClientMetrics::active)
                .description("java.net.http requests in flight: accepted by the client, outcome not yet handed to the caller")
                .register(registry);
        Gauge.builder(MetricNames.HTTP_CONNECTIONS_PENDING, this, HttpClientMetrics::pending)
                .description("java.net.http requests in flight whose caller cannot use a response yet: sendAsync's"
                        + " until the final response headers arrive, send's until send returns")
                .register(registry);
        int cap = this.capacity;
        Gauge.builder(MetricNames.HTTP_POOL_UTILIZATION, this, m -> m.active() * 100.0 / cap)
                .description("Requests in flight as a percentage of the configured nominal capacity"
                        + " (yawl.instrumentation.httpclient.capacity=" + cap + "); a theoretical saturation figure")
                .register(registry);
    }

    /** One tracked request; the token the bridge carries between its callbacks. */
    public static final class Request {
        // A VarHandle, not an AtomicIntegerFieldUpdater: the updater checks the receiver's class on
        // every call, and this runs twice per request (headers on the client's thread, the end on
        // the caller's).
        private static final VarHandle STATE;

        static {
            try {
                STATE = MethodHandles.lookup().findVarHandle(Request.class, "state", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
        private static final int PENDING = 0;
        private static final int HEADERS = 1;
        private static final int DONE = 2;

        final long startNanos;
        final int method;
        final int host;
        /**
         * A synchronous send's: no headers callback, no state change, ended once by send's exit
         * ({@link #sendFinished}). A final field, not a state value: a volatile write in the
         * constructor would cost a full fence per request.
         */
        final boolean send;
        /**
         * The meters that counted this request in flight: only they may count it out. A request
         * sent before a detach and ending after a re-attach reaches the new meters, which never
         * counted it in; without this their in-flight gauges would stay one too low for good.
         */
        final HttpClientMetrics owner;
        private volatile int state;

        Request(HttpClientMetrics owner, long startNanos, int method, int host, boolean send) {
            this.owner = owner;
            this.startNanos = startNanos;
            this.method = method;
            this.host = host;
            this.send = send;
        }
    }

    /** An asynchronous request: pending until {@link #headersArrived}, active until {@link #finished}. */
    public Request start(String method, String host, long nowNanos) {
        Request r = new Request(this, nowNanos, methodIndex(method), hostIndex(host), false);
        active.incrementAndGet();
        pending.incrementAndGet();
        return r;
    }

    /** A synchronous send: active and pending until {@link #sendFinished}. */
    public Request startSend(String method, String host, long nowNanos) {
        Request r = new Request(this, nowNanos, methodIndex(method), hostIndex(host), true);
        sendsInFlight.incrementAndGet();
        return r;
    }

    /**
     * A synchronous send returned or threw. Called exactly once per {@link #startSend}, on the
     * caller's thread, by send's exit; a token of another kind, or of other meters, is ignored.
     */
    public void sendFinished(Request r, Object response, Throwable error, long nowNanos) {
        if (!r.send || r.owner != this) {
            return;
        }
        count(r, response, error, nowNanos);
        sendsInFlight.decrementAndGet();
    }

    public void headersArrived(Request r) {
        if (!r.send && r.owner == this && Request.STATE.compareAndSet(r, Request.PENDING, Request.HEADERS)) {
            pending.decrementAndGet();
        }
    }

    /**
     * send returned or threw, or sendAsync's future completed (or sendAsync threw). Idempotent: only the first call
     * per request counts.
     */
    public void finished(Request r, Object response, Throwable error, long nowNanos) {
        if (r.send || r.owner != this) {
            return; // a synchronous send's token (only sendFinished ends it), or other meters'
        }
        int before = (int) Request.STATE.getAndSet(r, Request.DONE);
        if (before == Request.DONE) {
            return;
        }
        count(r, response, error, nowNanos);
        if (before == Request.PENDING) {
            pending.decrementAndGet();
        }
        active.decrementAndGet();
    }

    /**
     * Counts the request as sent before it leaves the in-flight gauges: a scrape in between then
     * sees it twice (briefly), never not at all.
     */
    private void count(Request r, Object response, Throwable error, long nowNanos) {
        int status = response instanceof HttpResponse ? statusIndex(((HttpResponse<?>) response).statusCode()) : STATUS_NONE;
        sentCounter(r.host, r.method, status).increment();
        latency[r.host].record((nowNanos - r.startNanos) / 1_000_000.0);
        if (error != null) {
            String kind = timeoutKind(error);
            if (kind != null) {
                timeoutCounter(r.host, kind).increment();
            }
        }
    }

    /** False when no host label is configured: then the caller need not look up the request's host at all. */
    public boolean labelsHosts() { return !hosts.isEmpty(); }

    public long active() { return active.get() + sendsInFlight.get(); }

    public long pending() { return pending.get() + sendsInFlight.get(); }

    private Counter sentCounter(int host, int method, int status) {
        int i = (host * METHODS.length + method) * STATUS_CLASSES.length + status;
        Counter c = sent.get(i);
        if (c == null) {
            c = Counter.builder(MetricNames.HTTP_REQUESTS_SENT)
                    .description("java.net.http requests completed, by method and response status class"
                            + " (none = no response: connect failure, timeout, cancellation)")
                    .tags(hostTags(host)).tag("method", METHODS[method]).tag("status_class", STATUS_CLASSES[status])
                    .register(registry);
            sent.set(i, c);
        }
        return c;
    }

    private Counter timeoutCounter(int host, String kind) {
        int i = host * 2 + (TIMEOUT_CONNECT.equals(kind) ? 0 : 1);
        Counter c = timeouts.get(i);
        if (c == null) {
            c = Counter.builder(MetricNames.HTTP_TIMEOUTS)
                    .description("java.net.http requests that failed with a timeout: reason=connect"
                            + " (HttpConnectTimeoutException) or reason=request (HttpTimeoutException)")
                    .tags(hostTags(host)).tag("reason", kind)
                    .register(registry);
            timeouts.set(i, c);
        }
        return c;
    }

    private int hostSlots() {
        return hosts.isEmpty() ? 1 : hosts.size() + 1;
    }

    private Tags hostTags(int host) {
        if (hosts.isEmpty()) {
            return Tags.empty();
        }
        return Tags.of("host", host < hosts.size() ? hosts.get(host) : OTHER_HOST);
    }

    int hostIndex(String host) {
        if (hosts.isEmpty() || host == null) {
            return hosts.isEmpty() ? 0 : hosts.size();
        }
        int i = hosts.indexOf(host.toLowerCase(Locale.ROOT));
        return i < 0 ? hosts.size() : i;
    }

    static int methodIndex(String method) {
        // A switch on the string: its cached hash and one equals, not a loop of equals (a hot
        // path: every request the engine makes, heartbeat renewals included). Same order as METHODS.
        if (method == null) {
            return METHODS.length - 1;
        }
        return switch (method) {
            case "GET" -> 0;
            case "POST" -> 1;
            case "PUT" -> 2;
            case "DELETE" -> 3;
            case "PATCH" -> 4;
            case "HEAD" -> 5;
            case "OPTIONS" -> 6;
            default -> METHODS.length - 1;
        };
    }

    static int statusIndex(int code) {
        return code >= 100 && code < 600 ? code / 100 - 1 : STATUS_NONE;
    }

    /** "connect", "request" or null, looking through wrappers (CompletionException, IOException causes). */
    static String timeoutKind(Throwable error) {
        Throwable t = error;
        for (int depth = 0; t != null && depth < 5; depth++) {
            if (t instanceof HttpConnectTimeoutException) {
                return TIMEOUT_CONNECT;
            }
            if (t instanceof HttpTimeoutException) {
                return TIMEOUT_REQUEST;
            }
            t = t.getCause();
        }
        return null;
    }
}
