package dev.yawlmetrics.ops.rules;

import dev.yawlmetrics.testsupport.Tools;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** rules/alertmanager.yml: valid for amtool, routes critical to the pager and warning to e-mail, no plain secret. */
class AlertmanagerConfigTest {

    private static Cmd amtool(Object... args) throws Exception {
        Path amtool = Tools.require("amtool", "prometheus-alertmanager");
        Object[] all = new Object[args.length + 1];
        all[0] = amtool;
        System.arraycopy(args, 0, all, 1, args.length);
        return Cmd.run(OpsFiles.rulesDir(), all);
    }

    @Test
    void amtoolAcceptsTheConfigAndItsTemplates() throws Exception {
        Cmd r = amtool("check-config", "alertmanager.yml");
        assertTrue(r.ok(), r.output());
        assertTrue(r.output().contains("1 templates"), r.output());
    }

    /** Every notification also reaches the alert history (issue 19), resolved ones included. */
    @Test
    void everyAlertAlsoGoesToTheAlertHistory() throws Exception {
        for (String labels : List.of("severity=critical", "severity=warning", "severity=info", "alertname=AnythingElse")) {
            Cmd r = amtool("config", "routes", "test", "--config.file=alertmanager.yml", labels);
            assertTrue(r.ok(), r.output());
            assertTrue(r.output().lines().anyMatch(l -> l.strip().startsWith("alert-history,")), labels + ": " + r.output());
        }
        String text = OpsFiles.read(OpsFiles.rulesDir().resolve("alertmanager.yml"));
        Matcher history = Pattern.compile("(?s)- name: 'alert-history'\\s+webhook_configs:\\s+- url: '[^']+/webhook'\\s+send_resolved: true").matcher(text);
        assertTrue(history.find(), "the alert-history receiver posts resolved notifications too:\n" + text);
    }

    @Test
    void criticalGoesToThePagerWarningToEmail() throws Exception {
        for (String[] c : List.of(new String[] {"pagerduty-p1", "severity=critical", "alertname=HeartbeatSuccessRateLow"},
                new String[] {"ops-email", "severity=warning", "alertname=MarketplaceQueryLatencyHigh"},
                new String[] {"ops-team", "severity=info"})) {
            Object[] args = new Object[c.length + 4];
            args[0] = "config";
            args[1] = "routes";
            args[2] = "test";
            args[3] = "--config.file=alertmanager.yml";
            args[4] = "--verify.receivers=alert-history," + c[0];
            System.arraycopy(c, 1, args, 5, c.length - 1);
            Cmd r = amtool(args);
            assertTrue(r.ok(), r.output());
            assertTrue(r.output().lines().anyMatch(l -> l.strip().equals("alert-history," + c[0])), r.output());
        }
        Cmd wrong = amtool("config", "routes", "test", "--config.file=alertmanager.yml", "--verify.receivers=alert-history,pagerduty-p1", "severity=warning");
        assertEquals(1, wrong.exit(), "a warning must not page: " + wrong.output());
    }

    /** The template turns a rule's repo-relative runbook_url into a link under one base URL. */
    @Test
    void runbookLinksRenderUnderTheConfiguredBase() throws Exception {
        Cmd base = amtool("template", "render", "--template.glob=alertmanager-templates/*.tmpl",
                "--template.text={{ template \"yawl.runbook_base\" . }}docs/runbooks.md#etcdnoleader");
        assertTrue(base.ok(), base.output());
        assertTrue(base.output().lines().anyMatch(l -> l.matches("https://\\S+/docs/runbooks\\.md#etcdnoleader")), base.output());
        Cmd email = amtool("template", "render", "--template.glob=alertmanager-templates/*.tmpl",
                "--template.text={{ template \"yawl.email.html\" . }}");
        assertTrue(email.ok() && email.output().contains("Runbook: <a href=\"https://"), email.output());
    }

    /** Credentials only through *_file keys, which read a mounted secret. */
    @Test
    void noSecretIsWrittenInPlainText() {
        String text = OpsFiles.read(OpsFiles.rulesDir().resolve("alertmanager.yml"));
        Matcher m = Pattern.compile("(?m)^\\s*-?\\s*(\\w*(password|secret|service_key|routing_key|api_url|api_key|token|credentials))\\s*:").matcher(text);
        StringBuilder found = new StringBuilder();
        while (m.find()) {
            found.append(m.group(1)).append(' ');
        }
        assertEquals("", found.toString().strip());
        assertTrue(text.contains("smtp_auth_password_file:") && text.contains("routing_key_file:") && text.contains("api_url_file:"), text);
    }
}
