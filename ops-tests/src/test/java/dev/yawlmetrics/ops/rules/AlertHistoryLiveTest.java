package dev.yawlmetrics.ops.rules;

import dev.yawlmetrics.ops.support.FleetWorkload;
import dev.yawlmetrics.testsupport.AgentJvm;
import dev.yawlmetrics.testsupport.AlertmanagerServer;
import dev.yawlmetrics.testsupport.EtcdServer;
import dev.yawlmetrics.testsupport.FreePorts;
import dev.yawlmetrics.testsupport.NodeExporter;
import dev.yawlmetrics.testsupport.PostgresServer;
import dev.yawlmetrics.testsupport.PrometheusServer;
import dev.yawlmetrics.testsupport.Tools;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 19 end to end, everything real: PostgreSQL, the alert-history jar, Alertmanager running the
 * SHIPPED rules/alertmanager.yml (only its timers shortened and its outside endpoints pointed at a
 * closed loopback port), Prometheus with the SHIPPED rules, a two-member etcd cluster and the fleet
 * simulator with the agent. The fault: one etcd member stops, the other loses its leader, the
 * shipped EtcdNoLeader (for: 1m) fires, then resolves when the member is back, while PostgreSQL is down
 * (the receiver answers 503, Alertmanager retries until it is back). The history holds one
 * incident with the duration Prometheus saw, the MTTR views agree with it, and the checklist command
 * passes before the fault and fails the items the fault breaks.
 */
class AlertHistoryLiveTest {
    static final String ALERT = "EtcdNoLeader";

    @Test
    void etcdLosingItsLeaderBecomesOneIncidentWithItsDurationAndTheChecklistSeesIt() throws Exception {
        List<AutoCloseable> started = new ArrayList<>();
        PostgresServer pg = null;
        AlertHistoryJar receiver = null;
        AlertmanagerServer am = null;
        PrometheusServer prometheus = null;
        try {
            pg = closeLater(started, PostgresServer.startNew());
            receiver = closeLater(started, AlertHistoryJar.serve(pg.jdbcUrl()));
            Path amConfig = alertmanagerConfig(receiver.url() + "/webhook");
            started.add(() -> deleteTree(amConfig.getParent()));
            am = closeLater(started, AlertmanagerServer.start(amConfig));
            List<EtcdServer> etcd = EtcdServer.startCluster(2);
            etcd.forEach(e -> started.add(e));
            NodeExporter node = Tools.find("prometheus-node-exporter").isPresent() ? closeLater(started, NodeExporter.start()) : null;
            AgentJvm fleet = closeLater(started, FleetWorkload.start(etcd.get(0)));
            prometheus = closeLater(started, PrometheusServer.start(slowerScrapes(LiveStack.config(fleet, etcd, node, am.target()))));
            PrometheusServer prom = prometheus;
            PostgresServer db = pg;
            AlertHistoryJar history = receiver;

            await(Duration.ofSeconds(60), "3 scrapes of every target, renewals and the agents counted",
                    () -> query(prom, "min(count_over_time(up[1m])) >= 3 and min(up) == 1 "
                            + "and on() sum(yawl_marketplace_live_agents_count) > 0"), r -> !r.isEmpty());
            String[] historyArgs = {"--history", pg.jdbcUrl()};

            // Before the fault the Day-1 checklist passes.
            AlertHistoryJar.Run day1 = AlertHistoryJar.checklist("--prometheus", prom.url(), "--alertmanager", am.url(), "--day1");
            System.out.println("checklist (day1):\n" + day1.output());
            assertEquals(0, day1.exit(), day1.output() + "\nprometheus targets: " + prom.get("/api/v1/targets"));
            assertLine(day1.output(), "pass  day1    shipped alert rules loaded and healthy: ");
            assertLine(day1.output(), "pass  day1    Alertmanager reachable with the expected receivers: receivers [alert-history, ops-email, ops-team, pagerduty-p1]");
            assertLine(day1.output(), "n/a   day1    all 6 dashboards imported: not measurable here: ");

            Instant fault = Instant.now();
            etcd.get(1).stop();
            await(Duration.ofSeconds(100), ALERT + " firing in Prometheus",
                    () -> query(prom, "ALERTS{alertname=\"" + ALERT + "\", alertstate=\"firing\"}"), r -> !r.isEmpty());
            await(Duration.ofSeconds(30), "the firing incident in the history",
                    () -> sql(db, "SELECT status FROM alert_history.incident WHERE alertname = '" + ALERT + "'"), r -> r.equals(List.of(List.of("firing"))));

            // The item made to fail: a critical alert is firing, and etcd has no leader.
            AlertHistoryJar.Run during = AlertHistoryJar.checklist("--prometheus", prom.url(), "--alertmanager", am.url(), "--day1");
            System.out.println("checklist (during):\n" + during.output());
            assertEquals(1, during.exit(), during.output());
            assertLine(during.output(), "FAIL  day1    no critical alert firing: firing: [" + ALERT + "]");
            assertLine(during.output(), "FAIL  day1    etcd cluster healthy: 0/1 members see a leader, 1/2 scraped");

            // The history's database goes down before the alert resolves: the receiver answers 503 to
            // Alertmanager's resolved notification, Alertmanager retries, and once PostgreSQL is back
            // the incident is closed with the time Prometheus resolved it, not the time it landed.
            long refusedBefore = refusals(receiver);
            pg.stop();
            etcd.get(1).start(); // returns once the member is healthy, i.e. the cluster has a leader again
            Instant restored = Instant.now();
            await(Duration.ofSeconds(60), "the receiver refusing Alertmanager's resolved notification with 503",
                    () -> refusals(history), n -> n > refusedBefore);
            Thread.sleep(3000); // a few more of Alertmanager's retries meet the outage
            pg.start();
            await(Duration.ofSeconds(60), "the resolved incident in the history after PostgreSQL is back",
                    () -> sql(db, "SELECT status FROM alert_history.incident WHERE alertname = '" + ALERT + "'"), r -> r.equals(List.of(List.of("resolved"))));

            List<String> row = sql(pg, "SELECT extract(epoch FROM starts_at), extract(epoch FROM ends_at), "
                    + "extract(epoch FROM ends_at - starts_at), severity FROM alert_history.incident WHERE alertname = '" + ALERT + "'").get(0);
            double startsAt = Double.parseDouble(row.get(0));
            double endsAt = Double.parseDouble(row.get(1));
            double duration = Double.parseDouble(row.get(2));
            String timeline = "fault " + fault + ", restored " + restored + ", incident " + Instant.ofEpochMilli((long) (startsAt * 1000))
                    + " -> " + Instant.ofEpochMilli((long) (endsAt * 1000)) + "\nreceiver log:\n" + receiver.logText();
            System.out.println(timeline.substring(0, timeline.indexOf("\nreceiver log")) + ", duration " + duration + " s");
            // Firing starts once for: 1m has elapsed after the leader was lost (an election timeout after the stop).
            assertTrue(startsAt >= fault.getEpochSecond() + 60 && startsAt <= fault.getEpochSecond() + 90, timeline);
            // It ends when Prometheus evaluates has_leader == 1 again: after the member was back, within a few scrapes.
            assertTrue(endsAt >= restored.getEpochSecond() - 5 && endsAt <= restored.getEpochSecond() + 15, timeline);
            assertEquals("critical", row.get(3));
            assertEquals(endsAt - startsAt, duration, 0.001);

            // MTTR from the views is this incident's duration (the only incident of the run).
            assertEquals(List.of(List.of("1", String.format(java.util.Locale.ROOT, "%.3f", duration))),
                    sql(pg, "SELECT resolved_incidents, mttr_seconds FROM alert_history.mttr_per_alert WHERE alertname = '" + ALERT + "'"), timeline);
            List<List<String>> perSeverity = sql(pg, "SELECT priority, resolved_incidents, mttr_seconds FROM alert_history.mttr_per_severity");
            assertEquals(List.of(List.of("P1", "1", String.format(java.util.Locale.ROOT, "%.3f", duration))), perSeverity,
                    "every incident: " + sql(pg, "SELECT alertname, status FROM alert_history.incident"));
            assertEquals(List.of(List.of(ALERT, "critical", "1")),
                    sql(pg, "SELECT alertname, severity, incidents FROM alert_history.alerts_per_day"));

            // Weekly: MTTR from the history passes with the measured value; the drill resolved within its
            // for: (1m), so by the checklist's definition it is a false positive: 1 of 1 fails the < 5% item.
            AlertHistoryJar.Run weekly = AlertHistoryJar.checklist("--prometheus", prom.url(), "--weekly", historyArgs[0], historyArgs[1]);
            System.out.println("checklist (weekly):\n" + weekly.output());
            assertEquals(1, weekly.exit(), weekly.output());
            java.util.regex.Matcher mttr = java.util.regex.Pattern.compile("(?m)^pass  weekly  MTTR < 5 min for P1 incidents: MTTR ([0-9.]+) s over 1 resolved P1 incidents$")
                    .matcher(weekly.output());
            assertTrue(mttr.find(), weekly.output());
            assertEquals(duration, Double.parseDouble(mttr.group(1)), duration * 0.005, weekly.output()); // printed to 3 digits
            if (duration < 60) {
                assertLine(weekly.output(), "FAIL  weekly  alert false-positive rate < 5%: 1/1 resolved incidents ended within their rule's for: (100.000%) [" + ALERT + "]");
            }
            // The 24-hour window saw the outage: etcd changed leaders, which fails the window.
            AlertHistoryJar.Run h24 = AlertHistoryJar.checklist("--prometheus", prom.url(), "--24h");
            System.out.println("checklist (h24):\n" + h24.output());
            assertEquals(1, h24.exit(), h24.output());
            // How many renewals fail while etcd has no quorum depends on the client's timeouts; the line
            // carries the measured share either way.
            assertTrue(h24.output().lines().anyMatch(l -> l.matches("(pass|FAIL)  24h     heartbeat success > 99\\.5% over 24h: \\d+\\.\\d+% of renewals succeeded.*")), h24.output());
            assertTrue(h24.output().lines().anyMatch(l -> l.matches("FAIL  24h     etcd stable \\(zero leader changes in 24h\\): [1-9]\\d* leader changes \\(needs 0\\)")), h24.output());
            assertLine(h24.output(), "n/a   24h     zero pod restarts in 24h: not measurable here: ");
        } catch (Throwable t) {
            if (am != null) {
                System.err.println("alertmanager log:\n" + am.logText());
            }
            if (receiver != null) {
                System.err.println("receiver log:\n" + receiver.logText());
            }
            throw t;
        } finally {
            for (int i = started.size() - 1; i >= 0; i--) {
                try {
                    started.get(i).close();
                } catch (Exception e) {
                    System.err.println("closing " + started.get(i) + ": " + e);
                }
            }
        }
    }

    /**
     * 3s scrapes instead of LiveStack's 1s: EtcdNoLeader must see has_leader == 0 in every evaluation
     * for a whole minute, and one scrape of the surviving member that misses a 1s timeout on a busy
     * machine drops the series and restarts the rule's for: (seen at load 27 on 2 cores).
     */
    private static String slowerScrapes(String config) {
        String fast = "scrape_interval: 1s\n  scrape_timeout: 1s\n";
        assertTrue(config.contains(fast), config);
        return config.replace(fast, "scrape_interval: 3s\n  scrape_timeout: 3s\n");
    }

    /** How many times the receiver has answered 503 (it logs each one). */
    private static long refusals(AlertHistoryJar receiver) {
        return receiver.logText().lines().filter(l -> l.contains("answering 503")).count();
    }

    private static <T extends AutoCloseable> T closeLater(List<AutoCloseable> started, T t) {
        started.add(t);
        return t;
    }

    private static void assertLine(String output, String prefix) {
        assertTrue(output.lines().anyMatch(l -> l.startsWith(prefix)), "no line starting with \"" + prefix + "\" in:\n" + output);
    }

    /**
     * The shipped Alertmanager configuration with only what a test must change: the history webhook
     * points at the test's receiver, group_wait/group_interval are 1s instead of 10s/5m, and the
     * pager, e-mail and chat endpoints (with their secret files) point at a closed loopback port, so
     * nothing leaves the machine.
     */
    static Path alertmanagerConfig(String webhook) throws Exception {
        Path dir = Files.createTempDirectory("yawl-metrics-am-config-");
        Path secrets = Files.createDirectories(dir.resolve("secrets"));
        String closed = "127.0.0.1:" + FreePorts.next();
        Files.writeString(secrets.resolve("smtp-password"), "unused");
        Files.writeString(secrets.resolve("pagerduty-routing-key"), "unused");
        Files.writeString(secrets.resolve("slack-webhook-url"), "http://" + closed + "/slack");
        Path templates = Files.createDirectories(dir.resolve("alertmanager-templates"));
        try (var files = Files.list(OpsFiles.rulesDir().resolve("alertmanager-templates"))) {
            for (Path f : files.toList()) {
                Files.copy(f, templates.resolve(f.getFileName()));
            }
        }
        String shipped = OpsFiles.read(OpsFiles.rulesDir().resolve("alertmanager.yml"));
        String config = replaceOnce(shipped, "global:\n", "global:\n  pagerduty_url: 'http://" + closed + "/pagerduty'\n");
        config = replaceOnce(config, "smtp.company.com:587", closed);
        config = config.replace("/etc/alertmanager/secrets/", secrets + "/");
        config = replaceOnce(config, "group_wait: 10s", "group_wait: 1s");
        config = replaceOnce(config, "group_interval: 5m", "group_interval: 1s");
        config = config.replaceFirst("(- name: 'alert-history'\\s+webhook_configs:\\s+- url: )'[^']+'", "$1'" + webhook + "'");
        assertTrue(config.contains(webhook), config);
        Path file = dir.resolve("alertmanager.yml");
        Files.writeString(file, config);
        return file;
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static String replaceOnce(String text, String from, String to) {
        assertTrue(text.contains(from), "rules/alertmanager.yml no longer contains \"" + from + "\"; update this test");
        return text.replace(from, to);
    }

    @SuppressWarnings("unchecked")
    private static List<Object> query(PrometheusServer p, String promql) throws Exception {
        return (List<Object>) ((Map<String, Object>) LiveStack.data(p.query(promql), promql)).get("result");
    }

    private static <T> T await(Duration timeout, String what, LiveStack.ThrowingSupplier<T> probe, java.util.function.Predicate<T> done) throws Exception {
        return LiveStack.await(timeout, what, probe, done);
    }

    static List<List<String>> sql(PostgresServer pg, String query) throws Exception {
        return pg.query(query);
    }
}
