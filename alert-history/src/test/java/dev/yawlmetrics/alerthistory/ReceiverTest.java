package dev.yawlmetrics.alerthistory;

import dev.yawlmetrics.testsupport.FreePorts;
import dev.yawlmetrics.testsupport.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The receiver against a real PostgreSQL: idempotence, bad input, retention, the views, a database outage. */
class ReceiverTest {
    static PostgresServer pg;
    static WebhookServer server;
    static String url;

    @BeforeAll
    static void start() throws Exception {
        pg = PostgresServer.startNew();
        server = new WebhookServer(new InetSocketAddress("127.0.0.1", FreePorts.next()),
                new AlertStore(pg.jdbcUrl(), null, Duration.ofDays(90)), 64 * 1024, 3600).start();
        url = "http://127.0.0.1:" + server.port() + "/webhook";
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (pg != null) {
            pg.close();
        }
    }

    @BeforeEach
    void empty() throws Exception {
        sql("TRUNCATE alert_history.incident");
    }

    static List<List<String>> sql(String query) throws Exception {
        return pg.query(query);
    }

    static int incidents() throws Exception {
        return Integer.parseInt(sql("SELECT count(*) FROM alert_history.incident").get(0).get(0));
    }

    private static void ok(String body) throws Exception {
        HttpResponse<String> r = Notifications.post(url, body);
        assertEquals(200, r.statusCode(), r.body());
    }

    @Test
    void retriesAndRepeatsMakeOneIncidentFromStartsAtToEndsAt() throws Exception {
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(600);
        Instant end = start.plusSeconds(137);
        String firing = Notifications.firing("f1", "EtcdNoLeader", "critical", start);
        ok(firing);
        ok(firing); // webhook retry
        ok(firing); // repeat_interval
        assertEquals(List.of(List.of("firing", "EtcdNoLeader", "critical")),
                sql("SELECT status, alertname, severity FROM alert_history.incident"));
        String resolved = Notifications.resolved("f1", "EtcdNoLeader", "critical", start, end);
        ok(resolved);
        ok(resolved);
        ok(firing); // a delayed retry of the firing notification must not reopen it
        assertEquals(List.of(List.of("resolved", "137.000000")),
                sql("SELECT status, extract(epoch FROM ends_at - starts_at) FROM alert_history.incident"));
        // The same alert firing again later is a second incident.
        ok(Notifications.firing("f1", "EtcdNoLeader", "critical", end.plusSeconds(60)));
        assertEquals(2, incidents());
    }

    @Test
    void badRequestsAreRefusedAndWriteNothing() throws Exception {
        Instant t = Instant.now().minusSeconds(60);
        String good = Notifications.alert("firing", "g", "A", "critical", t, null);
        Map<String, Integer> cases = Map.of(
                "{not json", 400,
                Notifications.payload("firing", good).replace("\"version\":\"4\"", "\"version\":\"5\""), 400,
                // A valid alert next to a bad one: the notification is refused as a whole.
                Notifications.payload("firing", good, Notifications.alert("firing", "h", "B", "x", t, null).replace("\"startsAt\":\"", "\"startsAt\":\"x")), 400,
                Notifications.payload("firing", good + ",").replace(",]", "," + "{\"pad\":\"" + "x".repeat(70_000) + "\"}]"), 413);
        for (Map.Entry<String, Integer> c : cases.entrySet()) {
            HttpResponse<String> r = Notifications.post(url, c.getKey());
            assertEquals(c.getValue(), r.statusCode(), r.body());
        }
        HttpResponse<String> get = Notifications.HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, get.statusCode());
        assertEquals(404, Notifications.post(url.replace("/webhook", "/other"), Notifications.payload("firing", good)).statusCode());
        assertEquals(0, incidents());
        assertEquals(200, Notifications.HTTP.send(HttpRequest.newBuilder(URI.create(url.replace("/webhook", "/healthz"))).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    @Test
    void retentionKeepsNinetyDays() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        // Arrives already past retention: acknowledged, not stored.
        HttpResponse<String> r = Notifications.post(url, Notifications.resolved("old", "A", "warning",
                now.minus(100, ChronoUnit.DAYS), now.minus(91, ChronoUnit.DAYS)));
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("\"stored\":0"), r.body());
        ok(Notifications.resolved("kept", "A", "warning", now.minus(95, ChronoUnit.DAYS), now.minus(89, ChronoUnit.DAYS)));
        sql("INSERT INTO alert_history.incident (fingerprint, starts_at, ends_at, status, alertname, labels, annotations) "
                + "VALUES ('aged', now() - interval '92 days', now() - interval '91 days', 'resolved', 'A', '{}', '{}')");
        sql("INSERT INTO alert_history.incident (fingerprint, starts_at, status, alertname, labels, annotations, last_notified_at) "
                + "VALUES ('stale-firing', now() - interval '120 days', 'firing', 'A', '{}', '{}', now() - interval '91 days')");
        assertEquals(3, incidents());
        assertEquals(2, new AlertStore(pg.jdbcUrl(), null, Duration.ofDays(90)).purge());
        assertEquals(List.of(List.of("kept")), sql("SELECT fingerprint FROM alert_history.incident"));
    }

    /** Retention runs on its own schedule, not only when a notification arrives. */
    @Test
    void retentionRunsOnItsInterval() throws Exception {
        sql("INSERT INTO alert_history.incident (fingerprint, starts_at, ends_at, status, alertname, labels, annotations) "
                + "VALUES ('aged', now() - interval '92 days', now() - interval '91 days', 'resolved', 'A', '{}', '{}')");
        try (WebhookServer purging = new WebhookServer(new InetSocketAddress("127.0.0.1", FreePorts.next()),
                new AlertStore(pg.jdbcUrl(), null, Duration.ofDays(90)), 1024, 1).start()) {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (incidents() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertEquals(0, incidents(), "the 1-second purge interval deleted the aged incident");
        }
    }

    /** A receiver started while its database is down serves 503 (so Alertmanager retries) and recovers alone. */
    @Test
    void startingWhileTheDatabaseIsDownAnswers503UntilItIsUp() throws Exception {
        Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(120);
        String body = Notifications.firing("early", "EtcdNoLeader", "critical", t);
        pg.stop();
        try (WebhookServer early = new WebhookServer(new InetSocketAddress("127.0.0.1", FreePorts.next()),
                new AlertStore(pg.jdbcUrl(), null, Duration.ofDays(90)), 64 * 1024, 3600).start()) {
            String earlyUrl = "http://127.0.0.1:" + early.port() + "/webhook";
            try {
                assertEquals(503, Notifications.post(earlyUrl, body).statusCode());
            } finally {
                pg.start();
            }
            assertEquals(200, Notifications.post(earlyUrl, body).statusCode());
        }
        assertEquals(List.of(List.of("early", "firing")), sql("SELECT fingerprint, status FROM alert_history.incident"));
    }

    @Test
    void viewsCountPerDayBySeverityAndMttrPerAlertAndPriority() throws Exception {
        Instant day = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(2, ChronoUnit.DAYS);
        ok(Notifications.resolved("a1", "EtcdNoLeader", "critical", day.plusSeconds(3600), day.plusSeconds(3600 + 120)));
        ok(Notifications.resolved("a2", "EtcdNoLeader", "critical", day.plusSeconds(7200), day.plusSeconds(7200 + 240)));
        ok(Notifications.resolved("b1", "JVMHeapPressure", "warning", day.plusSeconds(3600), day.plusSeconds(3600 + 600)));
        ok(Notifications.firing("b2", "JVMHeapPressure", "warning", day.plus(1, ChronoUnit.DAYS)));
        String d0 = day.toString().substring(0, 10);
        String d1 = day.plus(1, ChronoUnit.DAYS).toString().substring(0, 10);
        assertEquals(List.of(List.of(d0, "EtcdNoLeader", "critical", "2"), List.of(d0, "JVMHeapPressure", "warning", "1"),
                        List.of(d1, "JVMHeapPressure", "warning", "1")),
                sql("SELECT day, alertname, severity, incidents FROM alert_history.alerts_per_day ORDER BY 1, 2"));
        assertEquals(List.of(List.of("critical", "P1", "2", "50.00"), List.of("warning", "P2", "2", "50.00")),
                sql("SELECT * FROM alert_history.severity_distribution ORDER BY 1"));
        assertEquals(List.of(List.of("EtcdNoLeader", "2", "180.000", "240.000"), List.of("JVMHeapPressure", "1", "600.000", "600.000")),
                sql("SELECT alertname, resolved_incidents, mttr_seconds, max_seconds FROM alert_history.mttr_per_alert ORDER BY 1"));
        assertEquals(List.of(List.of("P1", "2", "00:03:00", "180.000"), List.of("P2", "1", "00:10:00", "600.000")),
                sql("SELECT priority, resolved_incidents, mttr, mttr_seconds FROM alert_history.mttr_per_severity ORDER BY 1"));
    }

    @Test
    void migrationsAreVersionedAppliedOnceAndAllShipped() throws Exception {
        AlertStore again = new AlertStore(pg.jdbcUrl(), null, Duration.ofDays(90));
        again.migrate(); // a second receiver (or a restart) applies nothing twice
        assertEquals(List.of(List.of("1", "V1__incidents.sql"), List.of("2", "V2__views.sql")),
                sql("SELECT version, script FROM alert_history.schema_version ORDER BY version"));
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/db/migration"))) {
            assertEquals(AlertStore.MIGRATIONS, files.map(p -> p.getFileName().toString()).sorted().toList(),
                    "every script in db/migration is listed in AlertStore.MIGRATIONS, in order");
        }
    }

    /**
     * PostgreSQL stops in the middle of a stream of notifications: the receiver answers 503 (never
     * 2xx for what it did not store), a sender that retries like Alertmanager keeps going, and once the
     * database is back every notification is there exactly once.
     */
    @Test
    void databaseOutageAnswers503AndLosesNothingAfterRecovery() throws Exception {
        Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(3600);
        int n = 30;
        int refused = 0;
        List<String> pending = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            pending.add(Notifications.resolved("out-" + i, "HeartbeatSuccessRateLow", "critical", t.plusSeconds(i), t.plusSeconds(i + 60)));
        }
        List<String> retry = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                if (i == 10) {
                    pg.stop();
                }
                HttpResponse<String> r = Notifications.post(url, pending.get(i));
                if (r.statusCode() == 503) {
                    refused++;
                    retry.add(pending.get(i));
                } else {
                    assertEquals(200, r.statusCode(), r.body());
                }
            }
            assertEquals(20, refused, "every notification during the outage is refused with 503");
            assertEquals(503, Notifications.HTTP.send(HttpRequest.newBuilder(URI.create(url.replace("/webhook", "/healthz"))).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
        } finally {
            if (!pg.running()) {
                pg.start();
            }
        }
        for (String body : retry) {
            ok(body);
        }
        for (String body : pending.subList(0, 5)) {
            ok(body); // Alertmanager may also resend some that had landed
        }
        assertEquals(n, incidents());
        assertEquals(List.of(List.of(String.valueOf(n), "60.000")),
                sql("SELECT resolved_incidents, mttr_seconds FROM alert_history.mttr_per_alert"));
    }
}
