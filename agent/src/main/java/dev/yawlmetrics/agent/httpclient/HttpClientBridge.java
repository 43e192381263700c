package dev.yawlmetrics.agent.httpclient;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The only agent class the JDK's HTTP client ever calls. It is never loaded under this name:
 * {@link BridgeInstaller} renames its class file to {@link BridgeInstaller#BRIDGE_NAME} (package
 * {@code jdk.internal.net.http}) and defines it in module {@code java.net.http} with that
 * module's (platform) class loader, so the advice inlined into {@code HttpClientImpl} can call it. It therefore uses JDK
 * types only: the agent installs its callbacks as {@code java.util.function} objects, and every
 * call is a null check plus a try/catch, so a missing or failing agent never reaches the caller.
 *
 * <p>An instance wraps the body handler of an asynchronous request: the JDK calls
 * {@link #apply} exactly when the final response's status line and headers have arrived, which
 * is how "pending" (no response yet) is told apart from "active" (in flight). A synchronous
 * {@code send} keeps the caller's own handler: its caller can use nothing before send returns,
 * and the client's threads then run none of the agent's code for the engine's requests.
 */
public final class HttpClientBridge implements HttpResponse.BodyHandler<Object> {
    /** request -> token, or null when the request is not tracked: an asynchronous request. */
    public static volatile Function<HttpRequest, Object> onStart;
    /** request -> token, or null: a synchronous send (no headers callback will follow; {@link #onSendEnd} ends it). */
    public static volatile Function<HttpRequest, Object> onSendStart;
    /** token: the final response headers arrived. */
    public static volatile Consumer<Object> onHeaders;
    /** (token, the CompletableFuture returned to the caller, or the Throwable thrown instead). */
    public static volatile BiConsumer<Object, Object> onReturn;
    /** (token, the HttpResponse send returned, or the Throwable it threw): a synchronous send ended. */
    public static volatile BiConsumer<Object, Object> onSendEnd;

    private final HttpResponse.BodyHandler<Object> delegate;
    private final Object token;

    private HttpClientBridge(HttpResponse.BodyHandler<Object> delegate, Object token) {
        this.delegate = delegate;
        this.token = token;
    }

    public static Object start(HttpRequest request) {
        return begin(onStart, request);
    }

    /** Entry of {@code send}: its token, handed back to {@link #endSend} at its exit. */
    public static Object startSend(HttpRequest request) {
        return begin(onSendStart, request);
    }

    private static Object begin(Function<HttpRequest, Object> callback, HttpRequest request) {
        try {
            return callback == null ? null : callback.apply(request);
        } catch (Throwable t) {
            return null;
        }
    }

    /**
     * Entry of the private funnel. {@code send} calls it with no executor, and {@code send} is
     * woven itself (tracked from its own entry to its own return, on the caller's thread), so
     * such a call is not tracked twice; the public {@code sendAsync} always passes an executor.
     */
    public static Object startAsync(HttpRequest request, Executor exchangeExecutor) {
        return exchangeExecutor == null ? null : start(request);
    }

    /** Exit of {@code send}: the caller has its response, or the exception send throws. */
    public static void endSend(Object token, Object responseOrThrowable) {
        if (token != null) {
            hand(onSendEnd, token, responseOrThrowable);
        }
    }

    /** The handler the JDK should use: the caller's own when untracked (or null, to keep the JDK's NPE). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static HttpResponse.BodyHandler wrap(HttpResponse.BodyHandler handler, Object token) {
        if (handler == null || token == null) {
            return handler;
        }
        return new HttpClientBridge((HttpResponse.BodyHandler<Object>) handler, token);
    }

    /** Exit of the funnel: the future returned to the caller, or the exception thrown instead. */
    public static void end(Object token, Object futureOrThrowable) {
        if (token != null) {
            hand(onReturn, token, futureOrThrowable);
        }
    }

    private static void hand(BiConsumer<Object, Object> callback, Object token, Object value) {
        try {
            if (callback != null) {
                callback.accept(token, value);
            }
        } catch (Throwable ignored) {
            // never reaches the caller
        }
    }

    @Override
    public HttpResponse.BodySubscriber<Object> apply(HttpResponse.ResponseInfo responseInfo) {
        try {
            Consumer<Object> f = onHeaders;
            if (f != null) {
                f.accept(token);
            }
        } catch (Throwable ignored) {
            // never reaches the caller
        }
        return delegate.apply(responseInfo);
    }
}
