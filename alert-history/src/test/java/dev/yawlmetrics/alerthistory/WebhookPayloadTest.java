package dev.yawlmetrics.alerthistory;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WebhookPayloadTest {
    static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    private static WebhookPayload parse(String json) throws WebhookPayload.BadPayload {
        return WebhookPayload.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsFiringAndResolvedAlertsOfOneNotification() throws Exception {
        WebhookPayload p = parse(Notifications.payload("resolved",
                Notifications.alert("firing", "aa", "EtcdNoLeader", "critical", T0, null),
                Notifications.alert("resolved", "bb", "JVMHeapPressure", "warning", T0, T0.plusSeconds(90))));
        assertEquals("alert-history", p.receiver());
        assertEquals(2, p.alerts().size());
        WebhookPayload.Alert firing = p.alerts().get(0);
        assertEquals("EtcdNoLeader", firing.alertname());
        assertEquals("critical", firing.severity());
        assertEquals(OffsetDateTime.parse("2026-12-01T10:00:00Z"), firing.startsAt());
        assertNull(firing.endsAt(), "Go's zero time means no end");
        assertTrue(firing.labelsJson().contains("\"cluster\":\"test\""), firing.labelsJson());
        assertEquals(OffsetDateTime.parse("2026-12-01T10:01:30Z"), p.alerts().get(1).endsAt());
    }

    @Test
    void everyMalformedBodyIsRefusedWithItsReason() {
        String ok = Notifications.alert("firing", "aa", "A", "critical", T0, null);
        Map<String, String> bad = Map.ofEntries(
                Map.entry("", "not a JSON object"),
                Map.entry("{", "malformed JSON"),
                Map.entry("[1]", "not a JSON object"),
                Map.entry(Notifications.payload("firing", ok) + "x", "malformed JSON"),
                Map.entry(Notifications.payload("firing", ok).replace("\"version\":\"4\"", "\"version\":\"3\""), "unsupported webhook payload version"),
                Map.entry(Notifications.payload("firing", ok).replace("\"version\":\"4\"", "\"version\":4"), "unsupported webhook payload version"),
                Map.entry(Notifications.payload("firing", ok).replace("\"version\":\"4\",", ""), "unsupported webhook payload version"),
                Map.entry(Notifications.payload("firing"), "non-empty array"),
                Map.entry(Notifications.payload("firing", ok.replace("\"status\":\"firing\"", "\"status\":\"acked\"")), "firing or resolved"),
                Map.entry(Notifications.payload("firing", ok.replace("\"fingerprint\":\"aa\"", "\"fingerprint\":\"\"")), "fingerprint"),
                Map.entry(Notifications.payload("firing", ok.replace("\"alertname\":\"A\",", "")), "alertname is missing"),
                Map.entry(Notifications.payload("firing", ok.replace(T0.toString(), "yesterday")), "not an RFC 3339 time"),
                Map.entry(Notifications.payload("resolved", Notifications.alert("resolved", "aa", "A", "critical", T0, null)), "without an endsAt"),
                Map.entry(Notifications.payload("resolved", Notifications.alert("resolved", "aa", "A", "critical", T0, T0.minusSeconds(1))), "before its startsAt"),
                Map.entry("{\"version\":\"4\",\"alerts\":[" + "[".repeat(40) + "]".repeat(40) + "]}", "malformed JSON"));
        for (Map.Entry<String, String> e : bad.entrySet()) {
            WebhookPayload.BadPayload ex = assertThrows(WebhookPayload.BadPayload.class, () -> parse(e.getKey()), e.getKey());
            assertTrue(ex.getMessage().contains(e.getValue()), e.getKey() + " -> " + ex.getMessage());
        }
    }
}
