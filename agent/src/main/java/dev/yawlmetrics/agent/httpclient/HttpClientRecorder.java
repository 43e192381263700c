package dev.yawlmetrics.agent.httpclient;

import dev.yawlmetrics.agent.metrics.MetricsAgentHealth;
import dev.yawlmetrics.agent.config.InstrumentationName;
import dev.yawlmetrics.agent.metrics.Meters;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.concurrent.CompletableFuture;

/**
 * The agent side of {@link HttpClientBridge}: its five callbacks. They run on the caller's
 * thread (start, return, both ends of a synchronous send) and on the client's threads (headers
 * and completion of an asynchronous request); each catches everything.
 */
final class HttpClientRecorder {
    private HttpClientRecorder() {}

    /** Bound by the module's install step, built on first use, unbound at detach (null then: nothing is recorded). */
    static final Meters<HttpClientMetrics> METRICS = Meters.of(context -> new HttpClientMetrics(context.registry(),
            context.config().httpClientCapacity(), context.config().httpClientHosts()));

    static Object start(HttpRequest request) {
        return begin(request, false);
    }

    static Object startSend(HttpRequest request) {
        return begin(request, true);
    }

    private static Object begin(HttpRequest request, boolean send) {
        try {
            HttpClientMetrics m = METRICS.get();
            if (m == null) {
                return null;
            }
            String host = m.labelsHosts() ? hostOf(request) : null;
            return send ? m.startSend(request.method(), host, System.nanoTime()) : m.start(request.method(), host, System.nanoTime());
        } catch (Throwable t) {
            MetricsAgentHealth.recordingError(InstrumentationName.HTTPCLIENT, t);
            return null;
        }
    }

    static void headers(Object token) {
        try {
            if (token instanceof HttpClientMetrics.Request) {
                HttpClientMetrics m = METRICS.get();
                if (m != null) {
                    m.headersArrived((HttpClientMetrics.Request) token);
                }
            }
        } catch (Throwable t) {
            MetricsAgentHealth.recordingError(InstrumentationName.HTTPCLIENT, t);
        }
    }

    /** sendAsync returned a future (counted when it completes) or threw (counted now). */
    static void returned(Object token, Object futureOrThrowable) {
        try {
            if (!(token instanceof HttpClientMetrics.Request)) {
                return;
            }
            HttpClientMetrics.Request request = (HttpClientMetrics.Request) token;
            if (futureOrThrowable instanceof CompletableFuture) {
                // On the very future the caller holds: cancel() completes it too. handle, not
                // whenComplete: on a failed future whenComplete's own stage wraps the error in a new
                // CompletionException (a stack trace filled per failed request, ~1.3 us); handle's
                // stage completes normally with null. Nobody ever sees that stage.
                ((CompletableFuture<?>) futureOrThrowable).handle((response, error) -> {
                    complete(request, response, error);
                    return null;
                });
            } else {
                Throwable error = futureOrThrowable instanceof Throwable ? (Throwable) futureOrThrowable : null;
                complete(request, null, error);
            }
        } catch (Throwable t) {
            MetricsAgentHealth.recordingError(InstrumentationName.HTTPCLIENT, t);
        }
    }

    /** A synchronous send returned or threw: recorded on the caller's thread, no stage on any future. */
    static void sendEnded(Object token, Object responseOrThrowable) {
        try {
            if (token instanceof HttpClientMetrics.Request) {
                HttpClientMetrics m = METRICS.get();
                if (m != null) {
                    boolean threw = responseOrThrowable instanceof Throwable;
                    m.sendFinished((HttpClientMetrics.Request) token, threw ? null : responseOrThrowable,
                            threw ? (Throwable) responseOrThrowable : null, System.nanoTime());
                }
            }
        } catch (Throwable t) {
            MetricsAgentHealth.recordingError(InstrumentationName.HTTPCLIENT, t);
        }
    }

    private static void complete(HttpClientMetrics.Request request, Object response, Throwable error) {
        try {
            HttpClientMetrics m = METRICS.get();
            if (m != null) {
                m.finished(request, response, error, System.nanoTime());
            }
        } catch (Throwable t) {
            MetricsAgentHealth.recordingError(InstrumentationName.HTTPCLIENT, t);
        }
    }

    private static String hostOf(HttpRequest request) {
        URI uri = request.uri();
        return uri == null ? null : uri.getHost();
    }
}
