package dev.yawlmetrics.it.endpoint;

import dev.yawlmetrics.testsupport.Tools;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Keys and certificates made by the real {@code openssl} at test time, in the three private-key
 * formats its common commands write, and bcrypt hashes made by Apache's {@code htpasswd -B} (an
 * implementation independent of the agent's bcrypt library).
 */
final class TestPki {
    /** Key formats as openssl writes them. */
    enum KeyFormat {
        /** {@code openssl genpkey -algorithm RSA}: BEGIN PRIVATE KEY. */
        PKCS8_RSA("-----BEGIN PRIVATE KEY-----"),
        /** {@code openssl genrsa -traditional}: BEGIN RSA PRIVATE KEY. */
        PKCS1_RSA("-----BEGIN RSA PRIVATE KEY-----"),
        /** {@code openssl ecparam -genkey}: BEGIN EC PRIVATE KEY. */
        SEC1_EC("-----BEGIN EC PRIVATE KEY-----");

        final String header;

        KeyFormat(String header) {
            this.header = header;
        }
    }

    final Path dir;
    final Path caCert;
    final Path caKey;

    private TestPki(Path dir) throws Exception {
        Tools.require("openssl", "openssl");
        this.dir = dir;
        this.caKey = dir.resolve("ca.key");
        this.caCert = dir.resolve("ca.crt");
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", caKey.toString(), "-out", caCert.toString(),
                "-days", "2", "-subj", "/CN=yawl-test-ca");
    }

    static TestPki create() throws Exception {
        return new TestPki(Files.createTempDirectory("yawl-metrics-pki-"));
    }

    /** Removes the directory with every key and certificate in it; null-safe for a failed create(). */
    static void delete(TestPki pki) throws IOException {
        if (pki == null) {
            return;
        }
        try (java.util.stream.Stream<Path> files = Files.walk(pki.dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** A key in the given format and a certificate for it signed by the CA; returns {cert, key}. */
    Path[] issue(String name, KeyFormat format, boolean client) throws Exception {
        Path key = dir.resolve(name + ".key");
        Path csr = dir.resolve(name + ".csr");
        Path cert = dir.resolve(name + ".crt");
        Path ext = dir.resolve(name + ".ext");
        switch (format) {
            case PKCS8_RSA -> openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", key.toString());
            case PKCS1_RSA -> openssl("genrsa", "-traditional", "-out", key.toString(), "2048");
            case SEC1_EC -> openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", key.toString());
        }
        String text = Files.readString(key);
        if (!text.startsWith(format.header)) {
            throw new AssertionError("openssl wrote " + text.lines().findFirst().orElse("") + ", expected " + format.header);
        }
        Files.writeString(ext, client ? "extendedKeyUsage=clientAuth\n"
                : "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
        openssl("req", "-new", "-key", key.toString(), "-subj", "/CN=" + name, "-out", csr.toString());
        openssl("x509", "-req", "-in", csr.toString(), "-CA", caCert.toString(), "-CAkey", caKey.toString(),
                "-CAcreateserial", "-days", "2", "-out", cert.toString(), "-extfile", ext.toString());
        return new Path[] {cert, key};
    }

    /** A bcrypt hash ($2y$, cost 10) from htpasswd. */
    static String bcrypt(String password) throws Exception {
        Path htpasswd = Tools.require("htpasswd", "apache2-utils");
        String out = run(List.of(htpasswd.toString(), "-nbBC", "10", "u", password)).trim();
        return out.substring(out.indexOf(':') + 1);
    }

    Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private String openssl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add("openssl");
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    static String run(List<String> cmd) throws Exception {
        return run(cmd, null, 60);
    }

    /** Runs a command with optional stdin; fails with its output unless it exits 0. */
    static String run(List<String> cmd, String stdin, int timeoutSeconds) throws Exception {
        Object[] r = tryRun(cmd, stdin, timeoutSeconds);
        if ((int) r[0] != 0) {
            throw new AssertionError(String.join(" ", cmd) + " exited " + r[0] + ":\n" + r[1]);
        }
        return (String) r[1];
    }

    /** Like {@link #run} but returns {exit code, output} instead of failing. */
    static Object[] tryRun(List<String> cmd, String stdin, int timeoutSeconds) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.ISO_8859_1));
        }
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + cmd);
        }
        return new Object[] {p.exitValue(), new String(out, StandardCharsets.UTF_8)};
    }
}
