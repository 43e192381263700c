package dev.yawlmetrics.alerthistory;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Alertmanager's webhook body, payload version 4, read and checked as a whole before anything is
 * written: one bad alert rejects the notification, so a rejected request never half-lands.
 */
public record WebhookPayload(String receiver, String status, int truncatedAlerts, List<Alert> alerts) {

    /** Alertmanager writes the zero time for "no end" (Go's zero time.Time). */
    private static final int NO_END_BEFORE_YEAR = 1970;

    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    static {
        // Nesting depth is the one cost the byte limit does not bound well.
        JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).build());
    }

    /** One alert of the notification. {@code endsAt} is null while firing. */
    public record Alert(String status, String fingerprint, String alertname, String severity, OffsetDateTime startsAt,
                        OffsetDateTime endsAt, String labelsJson, String annotationsJson, String generatorUrl) {
        boolean resolved() {
            return "resolved".equals(status);
        }
    }

    /** A request body the receiver must refuse (4xx); Alertmanager does not retry those. */
    public static final class BadPayload extends Exception {
        BadPayload(String message) {
            super(message);
        }
    }

    public static WebhookPayload parse(byte[] body) throws BadPayload {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JacksonException e) {
            throw new BadPayload("malformed JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new BadPayload("unreadable body: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new BadPayload("the body is not a JSON object");
        }
        JsonNode version = root.get("version");
        if (version == null || !version.isTextual() || !"4".equals(version.asText())) {
            throw new BadPayload("unsupported webhook payload version " + version + " (this receiver reads version \"4\")");
        }
        JsonNode alerts = root.get("alerts");
        if (alerts == null || !alerts.isArray() || alerts.isEmpty()) {
            throw new BadPayload("\"alerts\" must be a non-empty array");
        }
        List<Alert> out = new ArrayList<>(alerts.size());
        for (int i = 0; i < alerts.size(); i++) {
            out.add(alert(alerts.get(i), "alerts[" + i + "]"));
        }
        JsonNode truncated = root.get("truncatedAlerts");
        return new WebhookPayload(text(root, "receiver", false, "payload"), text(root, "status", false, "payload"),
                truncated != null && truncated.canConvertToInt() ? truncated.asInt() : 0, List.copyOf(out));
    }

    private static Alert alert(JsonNode a, String where) throws BadPayload {
        if (!a.isObject()) {
            throw new BadPayload(where + " is not an object");
        }
        String status = text(a, "status", true, where);
        if (!status.equals("firing") && !status.equals("resolved")) {
            throw new BadPayload(where + ".status must be firing or resolved, not \"" + status + "\"");
        }
        JsonNode labels = a.get("labels");
        if (labels == null || !labels.isObject()) {
            throw new BadPayload(where + ".labels must be an object");
        }
        String alertname = text(labels, "alertname", true, where + ".labels");
        JsonNode severity = labels.get("severity");
        JsonNode annotations = a.get("annotations");
        if (annotations != null && !annotations.isNull() && !annotations.isObject()) {
            throw new BadPayload(where + ".annotations must be an object");
        }
        OffsetDateTime startsAt = time(a, "startsAt", where);
        if (startsAt == null) {
            throw new BadPayload(where + ".startsAt is missing");
        }
        OffsetDateTime endsAt = null;
        if (status.equals("resolved")) {
            endsAt = time(a, "endsAt", where);
            if (endsAt == null) {
                throw new BadPayload(where + " is resolved without an endsAt");
            }
            if (endsAt.isBefore(startsAt)) {
                throw new BadPayload(where + ".endsAt " + endsAt + " is before its startsAt " + startsAt);
            }
        }
        return new Alert(status, text(a, "fingerprint", true, where), alertname,
                severity != null && severity.isTextual() ? severity.asText() : null, startsAt, endsAt, labels.toString(),
                annotations == null || annotations.isNull() ? "{}" : annotations.toString(), text(a, "generatorURL", false, where));
    }

    private static String text(JsonNode node, String field, boolean required, String where) throws BadPayload {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new BadPayload(where + "." + field + " is missing");
            }
            return null;
        }
        if (!v.isTextual() || (required && v.asText().isEmpty())) {
            throw new BadPayload(where + "." + field + " must be a non-empty string");
        }
        return v.asText();
    }

    /** RFC 3339 time, or null when absent or Go's zero time (Alertmanager's "not set"). */
    private static OffsetDateTime time(JsonNode a, String field, String where) throws BadPayload {
        String s = text(a, field, false, where);
        if (s == null) {
            return null;
        }
        try {
            OffsetDateTime t = OffsetDateTime.parse(s);
            return t.getYear() < NO_END_BEFORE_YEAR ? null : t;
        } catch (DateTimeParseException e) {
            throw new BadPayload(where + "." + field + " is not an RFC 3339 time: \"" + s + "\"");
        }
    }
}
