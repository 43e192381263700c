package dev.yawlmetrics.it.endpoint;

import dev.yawlmetrics.fixtures.hosts.CoreHost;
import dev.yawlmetrics.testsupport.AgentJvm;
import dev.yawlmetrics.testsupport.Tools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A web config that cannot be loaded means no endpoint (never plain HTTP), with one ERROR line
 * naming the file and the reason, while the engine runs on; a changed certificate or file is
 * picked up without a restart, and a broken new version keeps the last good one.
 */
class WebConfigLifecycleTest {
    private static TestPki pki;
    private static Path[] server;

    @BeforeAll
    static void keys() throws Exception {
        Tools.require("curl", "curl");
        pki = TestPki.create();
        server = pki.issue("first", TestPki.KeyFormat.PKCS8_RSA, false);
    }

    @AfterAll
    static void removeKeys() throws Exception {
        TestPki.delete(pki);
    }

    private static AgentJvm start(Path webConfig) throws Exception {
        return AgentJvm.builder(CoreHost.class).agentArgs("port=0,host=127.0.0.1,web.config.file=" + webConfig).start();
    }

    @Test
    void unusableWebConfigMeansNoEndpointAndTheEngineRunsOn() throws Exception {
        Path other = pki.issue("other", TestPki.KeyFormat.SEC1_EC, false)[0];
        Path garbageKey = pki.write("garbage.key", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        Object[][] cases = {
                {pki.dir.resolve("does-not-exist.yml"), "cannot read it"},
                {pki.write("bad-hash.yml", "basic_auth_users:\n  prometheus: plaintext-password\n"), "is not a bcrypt hash"},
                {pki.write("mismatch.yml", "tls_server_config:\n  cert_file: " + other + "\n  key_file: " + server[1] + "\n"),
                        "does not belong to the certificate"},
                {pki.write("garbage-key.yml", "tls_server_config:\n  cert_file: " + server[0] + "\n  key_file: " + garbageKey + "\n"),
                        "cannot read as"},
                {pki.write("no-ca.yml", "tls_server_config:\n  cert_file: " + server[0] + "\n  key_file: " + server[1]
                        + "\n  client_auth_type: RequireAndVerifyClientCert\n"), "needs client_ca_file"},
                {pki.write("bad-yaml.yml", "tls_server_config:\n  cert_file: [a, [b]]\n"), "line 2"},
        };
        for (Object[] c : cases) {
            Path file = (Path) c[0];
            try (AgentJvm jvm = start(file)) {
                jvm.awaitStdout(l -> l.equals("HOST READY"), Duration.ofSeconds(60));
                String answer = jvm.command("market 1");
                assertTrue(answer.contains("found=3"), "the engine runs on: " + answer);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (jvm.agentLog().stream().noneMatch(l -> l.contains("NOT started")) && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                List<String> errors = jvm.agentLog().stream().filter(l -> l.contains("ERROR") && l.contains("NOT started")).toList();
                assertEquals(1, errors.size(), jvm.describe());
                assertTrue(errors.get(0).contains(file.toString()) && errors.get(0).contains((String) c[1]), errors.get(0));
                assertTrue(jvm.agentLog().stream().noneMatch(l -> l.contains("listening on")), "no endpoint at all: " + jvm.describe());
            }
        }
    }

    @Test
    void unsupportedKeyIsOneWarnNotASilentSkip() throws Exception {
        Path file = pki.write("extra-key.yml", "tls_server_config:\n  cert_file: " + server[0] + "\n  key_file: " + server[1]
                + "\n  curve_preferences: [X25519]\n  surprise: 1\nhttp_server_config:\n  http2: false\n");
        try (AgentJvm jvm = start(file)) {
            jvm.awaitReady();
            List<String> log = jvm.agentLog();
            assertEquals(1, log.stream().filter(l -> l.contains("WARN") && l.contains("tls_server_config.surprise")).count(), jvm.describe());
            assertEquals(1, log.stream().filter(l -> l.contains("WARN") && l.contains("curve_preferences")).count());
            assertEquals(1, log.stream().filter(l -> l.contains("WARN") && l.contains("http2")).count());
        }
    }

    @Test
    void rotatedCertificateIsServedWithoutRestartAndABrokenFileKeepsTheLastGood() throws Exception {
        Path cert = pki.dir.resolve("live.crt");
        Path key = pki.dir.resolve("live.key");
        Files.copy(server[0], cert, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(server[1], key, StandardCopyOption.REPLACE_EXISTING);
        String hash = TestPki.bcrypt("pw");
        Path file = pki.write("rotating.yml", "tls_server_config:\n  cert_file: live.crt\n  key_file: live.key\n"
                + "basic_auth_users:\n  prometheus: " + hash + "\n");
        try (AgentJvm jvm = start(file)) {
            jvm.awaitReady();
            assertTrue(servedSubject(jvm).contains("CN = first"), servedSubject(jvm));
            assertEquals("200", curlCode(jvm));

            // cert-manager style renewal: new key and certificate written in place.
            Path[] second = pki.issue("second", TestPki.KeyFormat.SEC1_EC, false);
            Files.copy(second[1], key, StandardCopyOption.REPLACE_EXISTING);
            Files.copy(second[0], cert, StandardCopyOption.REPLACE_EXISTING);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!servedSubject(jvm).contains("CN = second") && System.nanoTime() < deadline) {
                Thread.sleep(500);
            }
            assertTrue(servedSubject(jvm).contains("CN = second"), jvm.describe());
            assertTrue(jvm.agentLog().stream().anyMatch(l -> l.contains("reloaded")), jvm.describe());

            // A broken new version: ERROR once, the last good configuration keeps serving.
            Files.writeString(file, "tls_server_config:\n  cert_file: live.crt\n  key_file: missing.key\n");
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (jvm.agentLog().stream().noneMatch(l -> l.contains("keeping the last good")) && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            Thread.sleep(6000); // one more check period: still one line, not one per check
            assertEquals(1, jvm.agentLog().stream().filter(l -> l.contains("keeping the last good")).count(), jvm.describe());
            assertTrue(servedSubject(jvm).contains("CN = second"));
            assertEquals("200", curlCode(jvm));
            String metrics = (String) TestPki.tryRun(List.of("curl", "-sS", "--cacert", pki.caCert.toString(), "-u", "prometheus:pw",
                    "https://127.0.0.1:" + jvm.port() + "/metrics"), null, 30)[1];
            assertTrue(metrics.contains("yawl_metrics_agent_web_config_errors_total 1.0"), metrics);
        }
    }

    /** rules/web-config.example.yml, as shipped, with a Kubernetes TLS secret's file names beside it. */
    @Test
    void theExampleWebConfigInRulesServesMutualTlsWithBasicAuth() throws Exception {
        Path dir = Files.createDirectories(pki.dir.resolve("example"));
        Path[] ec = pki.issue("example-server", TestPki.KeyFormat.SEC1_EC, false);
        Path[] cl = pki.issue("example-client", TestPki.KeyFormat.PKCS1_RSA, true);
        Files.copy(ec[0], dir.resolve("tls.crt"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(ec[1], dir.resolve("tls.key"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(pki.caCert, dir.resolve("ca.crt"), StandardCopyOption.REPLACE_EXISTING);
        Path file = dir.resolve("web-config.yml");
        Files.copy(Path.of("../rules/web-config.example.yml"), file, StandardCopyOption.REPLACE_EXISTING);
        try (AgentJvm jvm = start(file)) {
            jvm.awaitReady();
            assertTrue(jvm.agentLog().stream().noneMatch(l -> l.contains("WARN")), "the example needs no WARN: " + jvm.describe());
            String url = "https://127.0.0.1:" + jvm.port() + "/metrics";
            List<String> curl = List.of("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "--cacert", pki.caCert.toString());
            List<String> withCert = new java.util.ArrayList<>(curl);
            withCert.addAll(List.of("--cert", cl[0].toString(), "--key", cl[1].toString()));
            List<String> ok = new java.util.ArrayList<>(withCert);
            ok.addAll(List.of("-u", "prometheus:change-me", url));
            assertEquals("200", ((String) TestPki.tryRun(ok, null, 30)[1]).trim());
            List<String> noPassword = new java.util.ArrayList<>(withCert);
            noPassword.add(url);
            assertEquals("401", ((String) TestPki.tryRun(noPassword, null, 30)[1]).trim());
            List<String> noCert = new java.util.ArrayList<>(curl);
            noCert.addAll(List.of("-u", "prometheus:change-me", url));
            assertTrue(!((String) TestPki.tryRun(noCert, null, 30)[1]).contains("200"));
            String[] headers = ((String) TestPki.tryRun(List.of("curl", "-sS", "-D", "-", "-o", "/dev/null", "--cacert",
                    pki.caCert.toString(), "--cert", cl[0].toString(), "--key", cl[1].toString(), "-u", "prometheus:change-me", url),
                    null, 30)[1]).split("\r\n");
            assertTrue(List.of(headers).contains("Strict-Transport-Security: max-age=31536000"), String.join("\n", headers));
        }
    }

    private static String curlCode(AgentJvm jvm) throws Exception {
        return ((String) TestPki.tryRun(List.of("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "--cacert", pki.caCert.toString(),
                "-u", "prometheus:pw", "https://127.0.0.1:" + jvm.port() + "/metrics"), null, 30)[1]).trim();
    }

    private static String servedSubject(AgentJvm jvm) throws Exception {
        Object[] r = TestPki.tryRun(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + jvm.port(),
                "-CAfile", pki.caCert.toString()), "", 30);
        String out = (String) r[1];
        int at = out.indexOf("subject=");
        return at < 0 ? out : out.substring(at, out.indexOf('\n', at));
    }
}
