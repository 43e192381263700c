package dev.yawlmetrics.bench;

import dev.yawlmetrics.bench.harness.Forks;
import dev.yawlmetrics.bench.harness.HostProcess;
import dev.yawlmetrics.bench.harness.Stats;
import dev.yawlmetrics.bench.harness.Variant;

import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Scrape cost of the agent's endpoint over TLS with basic auth, next to plain HTTP, same host,
 * same fleet, alternating forks. Sequential GETs on one kept-alive connection, as Prometheus
 * scrapes: after the first request the TLS session and the verified password are reused, so the
 * difference is record encryption plus one SHA-256 of the password per scrape. Key and
 * certificate come from {@code openssl}, the bcrypt hash (cost 10) from {@code htpasswd}.
 *
 * <p>Usage: {@code java -Dbench.agent.jar=.. -cp benchmarks.jar dev.yawlmetrics.bench.ScrapeTls [--smoke]
 * [--agents N] [--scrapes N] [--rounds N] [--out f.md]}
 */
public final class ScrapeTls {
    private static final String PASSWORD = "bench-password";

    public static void main(String[] args) throws Exception {
        boolean smoke = Forks.smoke(args);
        int agents = Integer.parseInt(Forks.option(args, "--agents", smoke ? "10" : "1000"));
        int scrapes = Integer.parseInt(Forks.option(args, "--scrapes", smoke ? "20" : "300"));
        int rounds = Integer.parseInt(Forks.option(args, "--rounds", smoke ? "1" : "3"));
        Path out = Forks.resultsFile(args, "scrape-tls.md");
        Path dir = Files.createTempDirectory("yawl-bench-tls-");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // The benchmark's own CA and keys: nothing of them outlives the run.
            try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (java.io.IOException | RuntimeException ignored) {
                // best effort at exit
            }
        }));
        Path webConfig = pki(dir);
        SSLSocketFactory trust = trusting(dir.resolve("ca.crt"));
        String auth = "Basic " + Base64.getEncoder().encodeToString(("prometheus:" + PASSWORD).getBytes(StandardCharsets.UTF_8));

        List<Double> plainMs = new ArrayList<>();
        List<Double> tlsMs = new ArrayList<>();
        List<String> perFork = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            for (boolean tls : round % 2 == 0 ? new boolean[] {false, true} : new boolean[] {true, false}) {
                int port = Forks.freePort();
                List<String> cmd = new ArrayList<>();
                cmd.add(Forks.java());
                cmd.addAll(List.of("-Xmx2g", "-XX:+UseParallelGC", Memory.QUIET_RENEWALS));
                cmd.add("-javaagent:" + Variant.YAWL.jar() + "=port=" + port + ",host=127.0.0.1"
                        + (tls ? ",web.config.file=" + webConfig : ""));
                cmd.add("-Dbench.yawl.port=" + port);
                cmd.addAll(List.of("-cp", Forks.classPath(), "dev.yawlmetrics.bench.fleet.BenchHost", "serve", Integer.toString(agents)));
                try (HostProcess host = new HostProcess(cmd)) {
                    host.await("READY", 600_000);
                    String url = (tls ? "https" : "http") + "://127.0.0.1:" + port + "/metrics";
                    awaitOk(url, tls ? trust : null, auth, host);
                    for (int i = 0; i < Math.max(5, scrapes / 5); i++) {
                        get(url, tls ? trust : null, auth);
                    }
                    List<Double> ms = new ArrayList<>();
                    int bytes = 0;
                    for (int i = 0; i < scrapes; i++) {
                        long t0 = System.nanoTime();
                        bytes = get(url, tls ? trust : null, auth);
                        ms.add((System.nanoTime() - t0) / 1e6);
                    }
                    (tls ? tlsMs : plainMs).addAll(ms);
                    Stats s = new Stats(ms);
                    String line = String.format(Locale.ROOT, "round %d %-22s median %.2f ms p99 %.2f ms bytes %d",
                            round + 1, tls ? "TLS + basic auth" : "plain HTTP", s.median(), s.percentile(99), bytes);
                    System.out.println("[scrape-tls] " + line);
                    perFork.add(line);
                }
            }
        }
        Stats plain = new Stats(plainMs);
        Stats secured = new Stats(tlsMs);
        StringBuilder md = new StringBuilder();
        md.append("## Scrape over TLS with basic auth\n\n")
          .append(String.format(Locale.ROOT, "`BenchHost serve %d`, our agent only; %d rounds, each one fork with plain HTTP and one with "
                  + "a web config file (TLS 1.3, RSA-2048 key from openssl, one basic-auth user, bcrypt cost 10 from htpasswd), "
                  + "order alternating; per fork %d sequential uncompressed GETs on one kept-alive connection after %d warm-up GETs.%n%n",
                  agents, rounds, scrapes, Math.max(5, scrapes / 5)))
          .append("| endpoint | median ms | p99 ms | scrapes |\n|---|---|---|---|\n")
          .append(String.format(Locale.ROOT, "| plain HTTP | %.2f | %.2f | %d |%n", plain.median(), plain.percentile(99), plain.n()))
          .append(String.format(Locale.ROOT, "| TLS + basic auth | %.2f | %.2f | %d |%n", secured.median(), secured.percentile(99), secured.n()))
          .append(String.format(Locale.ROOT, "%nTLS + basic auth / plain: median x%.2f (%+.2f ms).%n%nPer fork:%n%n",
                  secured.median() / plain.median(), secured.median() - plain.median()));
        for (String l : perFork) {
            md.append("- ").append(l).append('\n');
        }
        md.append('\n');
        Files.writeString(out, md.toString());
        System.out.println(md);
    }

    /** CA, server key and certificate (SAN 127.0.0.1), a bcrypt hash and the web config; returns its path. */
    private static Path pki(Path dir) throws Exception {
        run(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "2",
                "-subj", "/CN=bench-ca");
        run(dir, "openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "server.key");
        run(dir, "openssl", "req", "-new", "-key", "server.key", "-subj", "/CN=127.0.0.1", "-out", "server.csr");
        Files.writeString(dir.resolve("server.ext"), "subjectAltName=IP:127.0.0.1\n");
        run(dir, "openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-days", "2", "-out", "server.crt", "-extfile", "server.ext");
        String htpasswd = run(dir, "htpasswd", "-nbBC", "10", "prometheus", PASSWORD).trim();
        Path config = dir.resolve("web-config.yml");
        Files.writeString(config, "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n"
                + "basic_auth_users:\n  prometheus: " + htpasswd.substring(htpasswd.indexOf(':') + 1) + "\n");
        return config;
    }

    private static String run(Path dir, String... cmd) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException(cmd[0] + " is needed (Debian packages openssl, apache2-utils): " + e.getMessage());
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed:\n" + output);
        }
        return output;
    }

    private static SSLSocketFactory trusting(Path caCert) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        try (InputStream in = Files.newInputStream(caCert)) {
            ks.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx.getSocketFactory();
    }

    /** One GET (kept-alive connection reused by the JDK's URL connection pool); returns the body size. */
    private static int get(String url, SSLSocketFactory tls, String auth) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
        if (tls != null) {
            ((HttpsURLConnection) c).setSSLSocketFactory(tls);
            c.setRequestProperty("Authorization", auth);
        }
        c.setConnectTimeout(2000);
        c.setReadTimeout(30000);
        c.setRequestProperty("Accept-Encoding", "identity");
        int code = c.getResponseCode();
        try (InputStream in = code == 200 ? c.getInputStream() : c.getErrorStream()) {
            byte[] body = in == null ? new byte[0] : in.readAllBytes();
            if (code != 200) {
                throw new IOException(url + " answered " + code);
            }
            return body.length;
        }
    }

    private static void awaitOk(String url, SSLSocketFactory tls, String auth, HostProcess host) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        IOException last = null;
        while (System.currentTimeMillis() < deadline) {
            try {
                get(url, tls, auth);
                return;
            } catch (IOException e) {
                last = e;
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException(url + " never answered 200 (" + last + "); host output:\n" + host.output());
    }
}
