package dev.yawlmetrics.alerthistory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

/** Alertmanager-shaped webhook bodies (payload version 4) and a client that posts them. */
final class Notifications {
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Notifications() {}

    static String alert(String status, String fingerprint, String alertname, String severity, Instant startsAt, Instant endsAt) {
        return """
                {"status":"%s","labels":{"alertname":"%s","severity":"%s","cluster":"test"},
                 "annotations":{"summary":"s"},"startsAt":"%s","endsAt":"%s",
                 "generatorURL":"http://prometheus/graph","fingerprint":"%s"}"""
                .formatted(status, alertname, severity, startsAt, endsAt == null ? "0001-01-01T00:00:00Z" : endsAt, fingerprint);
    }

    static String payload(String status, String... alerts) {
        return """
                {"version":"4","groupKey":"{}:{alertname=\\"x\\"}","truncatedAlerts":0,"status":"%s","receiver":"alert-history",
                 "groupLabels":{},"commonLabels":{},"commonAnnotations":{},"externalURL":"http://am","alerts":[%s]}"""
                .formatted(status, String.join(",", alerts));
    }

    static String firing(String fingerprint, String alertname, String severity, Instant startsAt) {
        return payload("firing", alert("firing", fingerprint, alertname, severity, startsAt, null));
    }

    static String resolved(String fingerprint, String alertname, String severity, Instant startsAt, Instant endsAt) {
        return payload("resolved", alert("resolved", fingerprint, alertname, severity, startsAt, endsAt));
    }

    static HttpResponse<String> post(String url, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
