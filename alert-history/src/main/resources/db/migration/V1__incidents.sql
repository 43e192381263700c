-- One row per incident: an alert (Alertmanager's fingerprint = its label set) from startsAt to endsAt.
-- Alertmanager retries a webhook until it gets a 2xx and repeats firing notifications every
-- repeat_interval; all of them carry the same fingerprint and startsAt, so they meet this key and
-- never make a second row.
CREATE TABLE alert_history.incident (
    fingerprint       text        NOT NULL,
    starts_at         timestamptz NOT NULL,
    ends_at           timestamptz,
    status            text        NOT NULL CHECK (status IN ('firing', 'resolved')),
    alertname         text        NOT NULL,
    severity          text,
    labels            jsonb       NOT NULL,
    annotations       jsonb       NOT NULL,
    generator_url     text,
    receiver          text,
    first_notified_at timestamptz NOT NULL DEFAULT now(),
    last_notified_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (fingerprint, starts_at),
    CHECK (status = 'firing' OR ends_at IS NOT NULL)
);

-- Retention deletes by the last moment the incident was known (its end, or the last firing notification).
CREATE INDEX incident_last_moment ON alert_history.incident ((coalesce(ends_at, last_notified_at)));
CREATE INDEX incident_alertname_starts ON alert_history.incident (alertname, starts_at);
