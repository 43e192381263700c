package dev.yawlmetrics.it.endpoint;

import dev.yawlmetrics.fixtures.hosts.CoreHost;
import dev.yawlmetrics.testsupport.AgentJvm;
import dev.yawlmetrics.testsupport.PrometheusServer;
import dev.yawlmetrics.testsupport.Tools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TLS, mutual TLS and basic auth from a web config file, proven with real clients: curl,
 * {@code openssl s_client} and a real Prometheus scraping over https. Keys in each format
 * openssl writes: the basic-auth engine uses a PKCS#1 RSA key, the mutual-TLS engine a SEC1 EC
 * key, a third engine a PKCS#8 key.
 */
class SecuredEndpointTest {
    private static TestPki pki;
    private static AgentJvm basic;
    private static AgentJvm mtls;
    private static Path[] client;

    @BeforeAll
    static void start() throws Exception {
        Tools.require("curl", "curl");
        pki = TestPki.create();
        Path[] rsa1 = pki.issue("server-pkcs1", TestPki.KeyFormat.PKCS1_RSA, false);
        Path[] ec = pki.issue("server-sec1", TestPki.KeyFormat.SEC1_EC, false);
        client = pki.issue("prometheus-client", TestPki.KeyFormat.PKCS8_RSA, true);
        String hash = TestPki.bcrypt("s3cret pass");
        Path basicConfig = pki.write("basic-web.yml", String.join("\n",
                "tls_server_config:",
                "  cert_file: " + rsa1[0].getFileName(),   // relative: resolved against this file's directory
                "  key_file: " + rsa1[1].getFileName(),
                "http_server_config:",
                "  headers:",
                "    X-Content-Type-Options: nosniff",
                "basic_auth_users:",
                "  prometheus: " + hash,
                ""));
        Path mtlsConfig = pki.write("mtls-web.yml", String.join("\n",
                "tls_server_config:",
                "  cert_file: " + ec[0],
                "  key_file: " + ec[1],
                "  client_auth_type: RequireAndVerifyClientCert",
                "  client_ca_file: " + pki.caCert,
                "  min_version: TLS12",
                ""));
        basic = AgentJvm.builder(CoreHost.class).agentArgs("port=0,host=127.0.0.1,web.config.file=" + basicConfig).start().awaitReady();
        mtls = AgentJvm.builder(CoreHost.class).agentArgs("port=0,host=127.0.0.1")
                .env("YAWL_METRICS_WEB_CONFIG_FILE", mtlsConfig.toString()).start().awaitReady();
    }

    @AfterAll
    static void stop() throws Exception {
        if (basic != null) {
            basic.close();
        }
        if (mtls != null) {
            mtls.close();
        }
        TestPki.delete(pki);
    }

    private static String url(AgentJvm jvm) {
        return "https://127.0.0.1:" + jvm.port() + jvm.metricsPath();
    }

    /** curl's answer: {http code, headers+body}. */
    private static String[] curl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "-i", "--max-time", "10", "-w", "\n%{http_code}", "--cacert", pki.caCert.toString()));
        cmd.addAll(List.of(args));
        Object[] r = TestPki.tryRun(cmd, null, 30);
        String out = (String) r[1];
        int nl = out.lastIndexOf('\n');
        return new String[] {out.substring(nl + 1).trim(), out, String.valueOf(r[0])};
    }

    @Test
    void endpointLogsHttpsAndWhatIsOn() {
        assertTrue(basic.agentLog().stream().anyMatch(l -> l.contains("listening on https://127.0.0.1:" + basic.port())
                && l.contains("basic auth for 1 user")), basic.describe());
        assertTrue(mtls.agentLog().stream().anyMatch(l -> l.contains("listening on https://")
                && l.contains("client certificates required")), mtls.describe());
    }

    @Test
    void basicAuthOverTls() throws Exception {
        String[] none = curl(url(basic));
        assertEquals("401", none[0], none[1]);
        assertTrue(none[1].contains("WWW-Authenticate: Basic"), none[1]);
        String[] wrong = curl("-u", "prometheus:wrong", url(basic));
        assertEquals("401", wrong[0], wrong[1]);
        String[] unknownUser = curl("-u", "someone:s3cret pass", url(basic));
        assertEquals("401", unknownUser[0], unknownUser[1]);
        String[] right = curl("-u", "prometheus:s3cret pass", url(basic));
        assertEquals("200", right[0], right[1]);
        assertTrue(right[1].contains("yawl_metrics_agent_info{"), right[1]);
        assertTrue(right[1].contains("X-Content-Type-Options: nosniff"), "http_server_config.headers on every answer");
        // A second scrape is answered from the verified-password cache.
        assertEquals("200", curl("-u", "prometheus:s3cret pass", url(basic))[0]);
    }

    @Test
    void noPlaintextOnATlsPort() {
        RawHttp.Answer a = RawHttp.send(basic.port(), RawHttp.get("/metrics"), 5000);
        assertEquals(-1, a.status(), "a plain HTTP request to the TLS port gets no HTTP answer: " + a.text());
    }

    @Test
    void mutualTlsNeedsAClientCertificateSignedByTheCa() throws Exception {
        String[] without = curl(url(mtls));
        assertNotEquals("200", without[0], without[1]);
        assertNotEquals("0", without[2], "curl fails the handshake without a client certificate");
        String[] with = curl("--cert", client[0].toString(), "--key", client[1].toString(), url(mtls));
        assertEquals("200", with[0], with[1]);
        // A certificate from another CA is refused.
        TestPki other = TestPki.create();
        try {
            Path[] stranger = other.issue("stranger", TestPki.KeyFormat.PKCS8_RSA, true);
            String[] foreign = curl("--cert", stranger[0].toString(), "--key", stranger[1].toString(), url(mtls));
            assertNotEquals("200", foreign[0], foreign[1]);
        } finally {
            TestPki.delete(other);
        }
    }

    @Test
    void opensslSClientSpeaksToTheMutualTlsEndpoint() throws Exception {
        Object[] r = TestPki.tryRun(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + mtls.port(),
                "-CAfile", pki.caCert.toString(), "-cert", client[0].toString(), "-key", client[1].toString(),
                "-verify_return_error", "-quiet"), "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", 30);
        String out = (String) r[1];
        assertTrue(out.contains("HTTP/1.1 200 OK"), out);
        assertTrue(out.contains("yawl_metrics_agent_info{"), out);
        // TLS 1.1 is below min_version.
        Object[] old = TestPki.tryRun(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + mtls.port(),
                "-CAfile", pki.caCert.toString(), "-tls1_1", "-quiet"), "", 30);
        assertFalse(((String) old[1]).contains("HTTP/1.1"), (String) old[1]);
    }

    @Test
    void pkcs8KeyServesHttpsToo() throws Exception {
        Path[] p8 = pki.issue("server-pkcs8", TestPki.KeyFormat.PKCS8_RSA, false);
        Path config = pki.write("p8-web.yml", "tls_server_config:\n  cert_file: " + p8[0] + "\n  key_file: " + p8[1] + "\n");
        try (AgentJvm jvm = AgentJvm.builder(CoreHost.class).agentArgs("port=0,host=127.0.0.1,web.config.file=" + config)
                .start().awaitReady()) {
            String[] r = curl(url(jvm));
            assertEquals("200", r[0], r[1]);
        }
    }

    @Test
    void prometheusScrapesOverHttpsWithBasicAuthAndWithClientCertificates() throws Exception {
        String target = "    static_configs: [{targets: ['127.0.0.1:%d']}]\n";
        String yml = "global: {scrape_interval: 1s, scrape_timeout: 900ms}\nscrape_configs:\n"
                + "  - job_name: basic\n    scheme: https\n    tls_config: {ca_file: " + pki.caCert + "}\n"
                + "    basic_auth: {username: prometheus, password: 's3cret pass'}\n" + target.formatted(basic.port())
                + "  - job_name: wrong_password\n    scheme: https\n    tls_config: {ca_file: " + pki.caCert + "}\n"
                + "    basic_auth: {username: prometheus, password: 'wrong'}\n" + target.formatted(basic.port())
                + "  - job_name: mtls\n    scheme: https\n    tls_config: {ca_file: " + pki.caCert
                + ", cert_file: " + client[0] + ", key_file: " + client[1] + "}\n" + target.formatted(mtls.port())
                + "  - job_name: mtls_without_cert\n    scheme: https\n    tls_config: {ca_file: " + pki.caCert + "}\n"
                + target.formatted(mtls.port());
        try (PrometheusServer prom = PrometheusServer.start(yml)) {
            String[][] expected = {{"basic", "1"}, {"wrong_password", "0"}, {"mtls", "1"}, {"mtls_without_cert", "0"}};
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            String last = "";
            boolean all = false;
            while (!all && System.nanoTime() < deadline) {
                Thread.sleep(500);
                all = true;
                for (String[] e : expected) {
                    last = prom.query("up{job=\"" + e[0] + "\"}");
                    all &= last.contains("\"value\":[") && last.contains(",\"" + e[1] + "\"]");
                }
            }
            StringBuilder sb = new StringBuilder();
            for (String[] e : expected) {
                sb.append(e[0]).append(": ").append(prom.query("up{job=\"" + e[0] + "\"}")).append('\n');
            }
            assertTrue(all, sb + "\nprometheus targets: " + prom.get("/api/v1/targets"));
            String series = prom.query("yawl_metrics_agent_info{job=\"basic\"}");
            assertTrue(series.contains("\"version\""), series);
        }
    }
}
