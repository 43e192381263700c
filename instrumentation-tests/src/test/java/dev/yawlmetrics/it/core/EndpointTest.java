package dev.yawlmetrics.it.core;

import dev.yawlmetrics.fixtures.hosts.CoreHost;
import dev.yawlmetrics.testsupport.AgentJvm;
import dev.yawlmetrics.testsupport.Scrape;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The endpoint as Prometheus and curl see it: one forked JVM, many requests. */
class EndpointTest {
    private static AgentJvm jvm;

    @BeforeAll
    static void start() throws Exception {
        jvm = AgentJvm.builder(CoreHost.class).agentArgs("port=0,host=127.0.0.1,path=/prom,tags=cluster=c1;pod=p-7")
                .start().awaitReady();
        jvm.command("market 2");
    }

    @AfterAll
    static void stop() {
        jvm.close();
    }

    @Test
    void ephemeralPortIsChosenAndLogged() {
        assertTrue(jvm.port() > 0);
        assertTrue(jvm.agentLogShows(l -> l.contains("listening on http://127.0.0.1:" + jvm.port() + "/prom")
                && l.contains("ephemeral")), jvm.describe());
    }

    @Test
    void theInfoSeriesCarriesTheVersionInTheJarsManifest() throws Exception {
        String expected;
        try (java.util.jar.JarFile jar = new java.util.jar.JarFile(AgentJvm.agentJar().toFile())) {
            expected = jar.getManifest().getMainAttributes().getValue("Implementation-Version");
        }
        assertTrue(expected != null && !expected.isBlank());
        Scrape s = jvm.scrape();
        assertEquals(expected, s.find("yawl_metrics_agent_info").get(0).labels().get("version"));
    }

    @Test
    void getServesPrometheusTextWithCommonTagsOnEverySeries() throws Exception {
        HttpResponse<byte[]> r = jvm.request("GET", "/prom", Map.of());
        assertEquals(200, r.statusCode());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", r.headers().firstValue("Content-Type").orElse(""));
        Scrape s = Scrape.parse(new String(r.body(), StandardCharsets.UTF_8));
        assertTrue(s.seriesCount() > 10);
        for (Scrape.Sample sample : s.samples()) {
            assertEquals("c1", sample.labels().get("cluster"), sample.toString());
            assertEquals("p-7", sample.labels().get("pod"), sample.toString());
        }
        assertEquals(1.0, s.value("yawl_metrics_agent_info"));
        // 2 queries + the null query whose NullPointerException is timed too
        assertEquals(3.0, s.value("yawl_marketplace_query_latency_ms_count", "query", "namespace"));
    }

    @Test
    void openMetricsWhenAcceptAsksForIt() throws Exception {
        HttpResponse<byte[]> r = jvm.request("GET", "/prom",
                Map.of("Accept", "application/openmetrics-text;version=1.0.0;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1"));
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/openmetrics-text"));
        String body = new String(r.body(), StandardCharsets.UTF_8);
        assertTrue(body.endsWith("# EOF\n"), "OpenMetrics ends with # EOF");
    }

    @Test
    void gzipWhenAcceptEncodingAllowsIt() throws Exception {
        HttpResponse<byte[]> r = jvm.request("GET", "/prom", Map.of("Accept-Encoding", "gzip"));
        assertEquals("gzip", r.headers().firstValue("Content-Encoding").orElse(""));
        String body = new String(new GZIPInputStream(new ByteArrayInputStream(r.body())).readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(body.contains("yawl_metrics_agent_info{"), body);
        HttpResponse<byte[]> plain = jvm.request("GET", "/prom", Map.of("Accept-Encoding", "gzip;q=0"));
        assertTrue(plain.headers().firstValue("Content-Encoding").isEmpty());
    }

    @Test
    void headAnswersHeadersWithoutBody() throws Exception {
        HttpResponse<byte[]> r = jvm.request("HEAD", "/prom", Map.of());
        assertEquals(200, r.statusCode());
        assertEquals(0, r.body().length);
        assertTrue(Long.parseLong(r.headers().firstValue("Content-Length").orElse("0")) > 100, r.headers().toString());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
    }

    @Test
    void otherPathsAre404AndOtherMethods405() throws Exception {
        HttpResponse<byte[]> notFound = jvm.request("GET", "/metrics", Map.of());
        assertEquals(404, notFound.statusCode());
        assertTrue(new String(notFound.body(), StandardCharsets.UTF_8).contains("/prom"));
        for (String method : new String[] {"POST", "PUT", "DELETE"}) {
            HttpResponse<byte[]> r = jvm.request(method, "/prom", Map.of());
            assertEquals(405, r.statusCode(), method);
            assertEquals("GET, HEAD", r.headers().firstValue("Allow").orElse(""));
        }
    }

    @Test
    void indexPageNamesThePathAndWhatIsApplied() throws Exception {
        HttpResponse<byte[]> r = jvm.request("GET", "/", Map.of());
        assertEquals(200, r.statusCode());
        String html = new String(r.body(), StandardCharsets.UTF_8);
        assertTrue(html.contains("href=\"/prom\""), html);
        assertTrue(html.contains("<tr><td>marketplace</td><td>yes</td><td>yes</td></tr>"), html);
    }
}
