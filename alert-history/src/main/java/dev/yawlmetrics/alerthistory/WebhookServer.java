package dev.yawlmetrics.alerthistory;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The webhook endpoint. Every request has one defined answer:
 * <ul>
 *   <li>POST /webhook, valid version-4 payload, stored: 200</li>
 *   <li>malformed JSON, unknown version, missing fields: 400; body over the limit: 413;
 *       other method: 405; other path: 404 (Alertmanager does not retry a 4xx: nothing to store)</li>
 *   <li>database unreachable or failing: 503 (Alertmanager retries the notification until it lands)</li>
 * </ul>
 * GET /healthz answers 200 when the database answers, else 503.
 */
public final class WebhookServer implements AutoCloseable {
    private final HttpServer http;
    private final ExecutorService workers;
    private final ScheduledExecutorService purger;
    private final AlertStore store;
    private final int maxBodyBytes;

    public WebhookServer(InetSocketAddress address, AlertStore store, int maxBodyBytes, long purgeIntervalSeconds) throws IOException {
        this.store = store;
        this.maxBodyBytes = maxBodyBytes;
        this.http = HttpServer.create(address, 16);
        // Bounded: a burst of notifications waits in the queue instead of opening unbounded DB connections.
        this.workers = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "alert-history-http");
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(workers);
        http.createContext("/", this::handle);
        this.purger = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "alert-history-retention");
            t.setDaemon(true);
            return t;
        });
        purger.scheduleWithFixedDelay(this::purgeQuietly, purgeIntervalSeconds, purgeIntervalSeconds, TimeUnit.SECONDS);
    }

    public WebhookServer start() {
        http.start();
        try {
            store.migrate();
        } catch (SQLException e) {
            // Not fatal: the first notification migrates once the database is back, and gets 503 until then.
            Main.log("database not ready at start (" + e.getMessage() + "); answering 503 until it is");
        }
        return this;
    }

    public int port() {
        return http.getAddress().getPort();
    }

    private void purgeQuietly() {
        try {
            store.migrate();
            store.purge();
        } catch (SQLException | RuntimeException e) {
            Main.log("retention: purge failed, retried next interval: " + e.getMessage());
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            if (path.equals("/healthz")) {
                boolean up = store.reachable();
                reply(ex, up ? 200 : 503, up ? "ok\n" : "database unreachable\n");
            } else if (!path.equals("/webhook")) {
                reply(ex, 404, "not found: POST Alertmanager notifications to /webhook\n");
            } else if (!ex.getRequestMethod().equals("POST")) {
                ex.getResponseHeaders().add("Allow", "POST");
                reply(ex, 405, "method not allowed: POST\n");
            } else {
                webhook(ex);
            }
        } catch (RuntimeException e) {
            Main.log("internal error: " + e);
            reply(ex, 500, "internal error\n");
        }
    }

    /** How much of an oversized body is read and dropped so that the sender sees the 413, not a reset. */
    private static final int DRAIN_FACTOR = 8;

    private void webhook(HttpExchange ex) throws IOException {
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
            body = in.readNBytes(maxBodyBytes + 1);
            if (body.length > maxBodyBytes) {
                // Bounded: a sender that keeps writing gets its connection closed after this.
                long left = (long) maxBodyBytes * DRAIN_FACTOR;
                while (left > 0 && in.read() >= 0) {
                    left -= 1 + in.skip(Math.min(left, 64 * 1024));
                }
                reply(ex, 413, "body over " + maxBodyBytes + " bytes\n");
                return;
            }
        }
        WebhookPayload payload;
        try {
            payload = WebhookPayload.parse(body);
        } catch (WebhookPayload.BadPayload e) {
            Main.log("rejected notification (400): " + e.getMessage());
            reply(ex, 400, e.getMessage() + "\n");
            return;
        }
        if (payload.truncatedAlerts() > 0) {
            Main.log("Alertmanager truncated " + payload.truncatedAlerts() + " alerts of a notification (max_alerts): they are not in the history");
        }
        try {
            int n = store.record(payload);
            reply(ex, 200, "{\"stored\":" + n + "}\n");
        } catch (SQLException e) {
            // Any database failure: Alertmanager must retry, so the notification is not lost.
            Main.log("database error, answering 503 so that Alertmanager retries: " + e.getMessage());
            ex.getResponseHeaders().add("Retry-After", "10");
            reply(ex, 503, "database unavailable\n");
        }
    }

    private static void reply(HttpExchange ex, int status, String text) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", text.startsWith("{") ? "application/json" : "text/plain; charset=utf-8");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
    }

    @Override
    public void close() {
        http.stop(0);
        purger.shutdownNow();
        workers.shutdownNow();
    }
}
