-- The design's Part 4.2 queries (alert frequency, severity distribution, MTTR), as views so that a
-- dashboard, psql or the checklist command read the same definitions. Days are UTC days.

-- Alert frequency: incidents that started on each day, per alert name and severity.
CREATE VIEW alert_history.alerts_per_day AS
SELECT (starts_at AT TIME ZONE 'UTC')::date AS day,
       alertname,
       severity,
       count(*)                             AS incidents
FROM alert_history.incident
GROUP BY 1, 2, 3;

-- Severity distribution over the whole retained history (90 days). Priority follows the routing:
-- critical pages (P1), warning e-mails (P2), anything else goes to the team channel (P3).
CREATE VIEW alert_history.severity_distribution AS
SELECT coalesce(severity, '(none)') AS severity,
       CASE severity WHEN 'critical' THEN 'P1' WHEN 'warning' THEN 'P2' ELSE 'P3' END AS priority,
       count(*) AS incidents,
       round(100.0 * count(*) / sum(count(*)) OVER (), 2) AS percent
FROM alert_history.incident
GROUP BY 1, 2;

-- Mean time to recovery of resolved incidents: endsAt - startsAt. startsAt is when the alert began
-- firing (Prometheus sends the time its for: elapsed), so the pending time is not counted.
CREATE VIEW alert_history.mttr_per_alert AS
SELECT alertname,
       count(*) AS resolved_incidents,
       avg(ends_at - starts_at) AS mttr,
       round(avg(extract(epoch FROM ends_at - starts_at)), 3) AS mttr_seconds,
       round(max(extract(epoch FROM ends_at - starts_at)), 3) AS max_seconds
FROM alert_history.incident
WHERE status = 'resolved'
GROUP BY alertname;

CREATE VIEW alert_history.mttr_per_severity AS
SELECT coalesce(severity, '(none)') AS severity,
       CASE severity WHEN 'critical' THEN 'P1' WHEN 'warning' THEN 'P2' ELSE 'P3' END AS priority,
       count(*) AS resolved_incidents,
       avg(ends_at - starts_at) AS mttr,
       round(avg(extract(epoch FROM ends_at - starts_at)), 3) AS mttr_seconds
FROM alert_history.incident
WHERE status = 'resolved'
GROUP BY 1, 2;
