package dev.yawlmetrics.alerthistory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Properties;

/**
 * The incident table in PostgreSQL, reached through JDBC with a fresh connection per notification:
 * webhook traffic is a few requests a minute, and no pooled connection can go stale across a
 * database restart, which is exactly when the receiver must recover on its own.
 */
public final class AlertStore {
    /** Applied in order, each once, recorded in alert_history.schema_version. Never edit a shipped one; add the next. */
    static final List<String> MIGRATIONS = List.of("V1__incidents.sql", "V2__views.sql");

    private final String jdbcUrl;
    private final Properties connectionProperties;
    private final Duration retention;
    private volatile boolean migrated;

    public AlertStore(String jdbcUrl, String password, Duration retention) {
        this.jdbcUrl = jdbcUrl;
        this.retention = retention;
        this.connectionProperties = new Properties();
        if (password != null) {
            connectionProperties.setProperty("password", password);
        }
        // Seconds: a dead database must turn into a 503 well inside Alertmanager's webhook timeout.
        connectionProperties.setProperty("connectTimeout", "3");
        connectionProperties.setProperty("socketTimeout", "10");
        connectionProperties.setProperty("loginTimeout", "5");
        connectionProperties.setProperty("ApplicationName", "yawl-alert-history");
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, connectionProperties);
    }

    /** Creates the schema or brings it to the newest version; safe when several receivers start at once. */
    public synchronized void migrate() throws SQLException {
        if (migrated) {
            return;
        }
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SELECT pg_advisory_xact_lock(hashtext('yawl-alert-history'))");
                s.execute("CREATE SCHEMA IF NOT EXISTS alert_history");
                s.execute("CREATE TABLE IF NOT EXISTS alert_history.schema_version (version int PRIMARY KEY, "
                        + "script text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
                int current;
                try (ResultSet r = s.executeQuery("SELECT coalesce(max(version), 0) FROM alert_history.schema_version")) {
                    r.next();
                    current = r.getInt(1);
                }
                if (current > MIGRATIONS.size()) {
                    throw new SQLException("the database is at schema version " + current + ", newer than this receiver knows ("
                            + MIGRATIONS.size() + "); refusing to write into it", "55000");
                }
                for (int v = current + 1; v <= MIGRATIONS.size(); v++) {
                    String script = MIGRATIONS.get(v - 1);
                    s.execute(sql(script));
                    try (PreparedStatement p = c.prepareStatement("INSERT INTO alert_history.schema_version (version, script) VALUES (?, ?)")) {
                        p.setInt(1, v);
                        p.setString(2, script);
                        p.executeUpdate();
                    }
                    Main.log("schema: applied " + script);
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        migrated = true;
        purge();
    }

    static String sql(String script) {
        try (InputStream in = AlertStore.class.getResourceAsStream("/db/migration/" + script)) {
            if (in == null) {
                throw new IllegalStateException("migration " + script + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final String UPSERT = """
            INSERT INTO alert_history.incident AS i
                (fingerprint, starts_at, ends_at, status, alertname, severity, labels, annotations, generator_url, receiver)
            VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?)
            ON CONFLICT (fingerprint, starts_at) DO UPDATE SET
                -- A late retry of a firing notification must not reopen a resolved incident.
                status = CASE WHEN i.status = 'resolved' THEN i.status ELSE EXCLUDED.status END,
                ends_at = CASE WHEN i.status = 'resolved' THEN i.ends_at ELSE EXCLUDED.ends_at END,
                annotations = EXCLUDED.annotations,
                last_notified_at = now()
            """;

    /**
     * Writes one notification's alerts in one transaction: all of them or, on any error, none (the
     * caller answers 503 and Alertmanager sends the whole notification again).
     *
     * @return how many alerts were inside the retention window and written
     */
    public int record(WebhookPayload payload) throws SQLException {
        migrate();
        OffsetDateTime cutoff = OffsetDateTime.now(ZoneOffset.UTC).minus(retention);
        int written = 0;
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            try (PreparedStatement p = c.prepareStatement(UPSERT)) {
                for (WebhookPayload.Alert a : payload.alerts()) {
                    if (a.resolved() && a.endsAt().isBefore(cutoff)) {
                        continue; // already past retention: it would be purged at once
                    }
                    p.setString(1, a.fingerprint());
                    p.setObject(2, a.startsAt());
                    p.setObject(3, a.endsAt());
                    p.setString(4, a.status());
                    p.setString(5, a.alertname());
                    p.setString(6, a.severity());
                    p.setString(7, a.labelsJson());
                    p.setString(8, a.annotationsJson());
                    p.setString(9, a.generatorUrl());
                    p.setString(10, payload.receiver());
                    p.addBatch();
                    written++;
                }
                p.executeBatch();
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        return written;
    }

    /** Deletes incidents last known more than the retention ago; returns how many. */
    public int purge() throws SQLException {
        try (Connection c = connect();
             PreparedStatement p = c.prepareStatement(
                     "DELETE FROM alert_history.incident WHERE coalesce(ends_at, last_notified_at) < now() - ?::interval")) {
            p.setString(1, retention.toSeconds() + " seconds");
            int n = p.executeUpdate();
            if (n > 0) {
                Main.log("retention: deleted " + n + " incidents older than " + retention.toDays() + " days");
            }
            return n;
        }
    }

    /** True when the database answers a trivial query now. */
    public boolean reachable() {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("SELECT 1");
            return true;
        } catch (SQLException e) {
            return false;
        }
    }
}
