package dev.yawlmetrics.agent.endpoint.security;

import dev.yawlmetrics.agent.core.MetricsAgentLog;
import dev.yawlmetrics.agent.endpoint.ConnectionPolicy;
import dev.yawlmetrics.agent.metrics.EndpointStats;
import dev.yawlmetrics.agent.endpoint.MetricsEndpoint;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A Prometheus exporter-toolkit web configuration file ({@code --web.config.file} of
 * node_exporter, Prometheus, Alertmanager): {@code tls_server_config}, {@code http_server_config},
 * {@code basic_auth_users}. Relative paths are resolved against the file's directory, as
 * exporter-toolkit does. Keys the agent does not implement are one WARN each; the ones that would
 * restrict access ({@code client_allowed_sans}, client auth types that verify nothing) are
 * errors, so the file never means less protection than it says.
 *
 * <p>Loaded by name from {@link MetricsEndpoint} only when the setting is present.
 */
public final class WebConfigSource implements MetricsEndpoint.PolicySource {
    private static final Set<String> TOP = Set.of("tls_server_config", "http_server_config", "basic_auth_users");
    private static final Set<String> RESERVED_HEADERS = Set.of("content-type", "content-length", "connection",
            "content-encoding", "transfer-encoding", "www-authenticate", "retry-after", "allow", "vary");
    private static final Map<String, String> VERSIONS = Map.of(
            "TLS10", "TLSv1", "TLS11", "TLSv1.1", "TLS12", "TLSv1.2", "TLS13", "TLSv1.3");
    private static final List<String> ORDER = List.of("TLS10", "TLS11", "TLS12", "TLS13");

    private final Path file;
    private volatile List<Path> watched = List.of();
    private volatile String signature = "";
    private volatile String description = "";
    /** A version that failed once: reported only if it is still there at the next check. */
    private volatile String failedOnce = "";

    public WebConfigSource(String file) {
        this.file = Paths.get(file).toAbsolutePath();
    }

    @Override
    public ConnectionPolicy load() throws Exception {
        List<Path> files = new ArrayList<>();
        files.add(file);
        ConnectionPolicy p = parse(files);
        watched = List.copyOf(files);
        signature = signatureOf(files);
        return p;
    }

    @Override
    public ConnectionPolicy reloadIfChanged() {
        String now = signatureOf(watched);
        if (now.equals(signature)) {
            return null;
        }
        List<Path> files = new ArrayList<>();
        files.add(file);
        try {
            ConnectionPolicy p = parse(files);
            watched = List.copyOf(files);
            signature = signatureOf(files);
            MetricsAgentLog.info("web config file '" + file + "' reloaded (" + description + "); new connections use it");
            return p;
        } catch (Exception e) {
            if (!now.equals(failedOnce)) {
                // Renewals write key and certificate one after the other: a mismatched pair seen
                // between the two writes is retried at the next check before it is reported.
                failedOnce = now;
                return null;
            }
            // Remember the broken version so it is reported once, not every few seconds.
            signature = now;
            EndpointStats.countWebConfigError();
            MetricsAgentLog.error("web config file '" + file + "' changed but cannot be used: " + e.getMessage()
                    + "; keeping the last good configuration");
            return null;
        }
    }

    @Override
    public String describe() {
        return description;
    }

    private static String signatureOf(List<Path> files) {
        StringBuilder sb = new StringBuilder();
        for (Path p : files) {
            try {
                sb.append(p).append('@').append(Files.getLastModifiedTime(p).toMillis()).append('/').append(Files.size(p)).append(';');
            } catch (IOException | RuntimeException e) {
                sb.append(p).append("@missing;");
            }
        }
        return sb.toString();
    }

    /** Parses the file; adds every file it names to {@code files}. Throws with a reason. */
    private ConnectionPolicy parse(List<Path> files) throws Exception {
        String text;
        try {
            text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read it (" + e + ")");
        }
        Map<String, Object> root = MiniYaml.parse(text);
        for (String key : root.keySet()) {
            if (!TOP.contains(key)) {
                MetricsAgentLog.warn("web config file '" + file + "': key '" + key + "' is not supported by this agent; ignored");
            }
        }
        Path dir = file.getParent();
        SSLContext ssl = null;
        SSLParameters params = null;
        StringBuilder desc = new StringBuilder();
        Map<String, Object> tls = map(root, "tls_server_config");
        if (tls != null && !tls.isEmpty()) {
            Object[] built = tls(tls, dir, files, desc);
            ssl = (SSLContext) built[0];
            params = (SSLParameters) built[1];
        } else {
            desc.append("plain HTTP");
        }
        List<String[]> headers = headers(map(root, "http_server_config"));
        BasicAuth auth = null;
        Map<String, Object> users = map(root, "basic_auth_users");
        if (users != null && !users.isEmpty()) {
            Map<String, String> hashes = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : users.entrySet()) {
                String hash = e.getValue() instanceof String ? (String) e.getValue() : null;
                if (!BasicAuth.validHash(hash)) {
                    throw new IllegalArgumentException("basic_auth_users: the hash of user '" + e.getKey()
                            + "' is not a bcrypt hash ($2a$, $2b$ or $2y$, cost 04-31)");
                }
                hashes.put(e.getKey(), hash);
            }
            auth = new BasicAuth(hashes);
            desc.append(", basic auth for ").append(hashes.size()).append(hashes.size() == 1 ? " user" : " users");
            if (ssl == null) {
                MetricsAgentLog.warn("web config file '" + file + "': basic auth without tls_server_config sends passwords in clear text");
            }
        }
        description = desc.toString();
        return new WebPolicy(ssl, params, auth, headers);
    }

    private Object[] tls(Map<String, Object> tls, Path dir, List<Path> files, StringBuilder desc) throws Exception {
        Set<String> known = Set.of("cert_file", "key_file", "client_auth_type", "client_ca_file", "min_version",
                "max_version", "cipher_suites", "prefer_server_cipher_suites", "curve_preferences", "client_allowed_sans");
        for (String key : tls.keySet()) {
            if (!known.contains(key)) {
                MetricsAgentLog.warn("web config file '" + file + "': tls_server_config." + key + " is not supported by this agent; ignored");
            }
        }
        if (tls.get("client_allowed_sans") != null) {
            throw new IllegalArgumentException("tls_server_config.client_allowed_sans is not supported by this agent"
                    + " (refusing to serve with a weaker client check than the file asks for)");
        }
        if (tls.get("curve_preferences") != null) {
            MetricsAgentLog.warn("web config file '" + file + "': tls_server_config.curve_preferences is not supported; the JDK's default curves are used");
        }
        Path certFile = path(tls, "cert_file", dir, true);
        Path keyFile = path(tls, "key_file", dir, true);
        files.add(certFile);
        files.add(keyFile);
        List<X509Certificate> chain = Pem.certificates(readFile(certFile, "cert_file"), "cert_file '" + certFile + "'");
        PrivateKey key = Pem.privateKey(readFile(keyFile, "key_file"), "key_file '" + keyFile + "'");
        checkPair(key, chain.get(0), keyFile, certFile);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        char[] pw = new char[0];
        ks.setKeyEntry("server", key, pw, chain.toArray(new X509Certificate[0]));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, pw);

        String clientAuth = string(tls, "client_auth_type", "NoClientCert");
        boolean need;
        boolean want;
        switch (clientAuth) {
            case "NoClientCert": need = false; want = false; break;
            case "VerifyClientCertIfGiven": need = false; want = true; break;
            case "RequireAndVerifyClientCert": need = true; want = false; break;
            case "RequestClientCert":
            case "RequireAnyClientCert":
                throw new IllegalArgumentException("tls_server_config.client_auth_type " + clientAuth
                        + " (client certificates without verification) is not supported; use RequireAndVerifyClientCert"
                        + " or VerifyClientCertIfGiven with client_ca_file");
            default:
                throw new IllegalArgumentException("tls_server_config.client_auth_type '" + clientAuth + "' is not a client auth type");
        }
        TrustManagerFactory tmf = null;
        Path caFile = path(tls, "client_ca_file", dir, false);
        if (need || want) {
            if (caFile == null) {
                throw new IllegalArgumentException("client_auth_type " + clientAuth + " needs client_ca_file");
            }
            files.add(caFile);
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            int i = 0;
            for (X509Certificate ca : Pem.certificates(readFile(caFile, "client_ca_file"), "client_ca_file '" + caFile + "'")) {
                trust.setCertificateEntry("ca" + i++, ca);
            }
            tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
        } else if (caFile != null) {
            MetricsAgentLog.warn("web config file '" + file + "': client_ca_file is set but client_auth_type is NoClientCert; no client certificate is checked");
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), new SecureRandom());

        SSLParameters params = ctx.getDefaultSSLParameters();
        params.setProtocols(protocols(tls, ctx));
        List<String> suites = cipherSuites(tls, ctx);
        if (suites != null) {
            params.setCipherSuites(suites.toArray(new String[0]));
        }
        Object prefer = tls.get("prefer_server_cipher_suites");
        params.setUseCipherSuitesOrder(prefer == null || "true".equals(prefer));
        params.setNeedClientAuth(need);
        if (!need) {
            params.setWantClientAuth(want);
        }
        desc.append("TLS ").append(String.join("/", params.getProtocols()))
            .append(need ? ", client certificates required" : want ? ", client certificates verified if given" : "");
        return new Object[] {ctx, params};
    }

    private String[] protocols(Map<String, Object> tls, SSLContext ctx) {
        String min = string(tls, "min_version", "TLS12");
        String max = string(tls, "max_version", "TLS13");
        int lo = ORDER.indexOf(min);
        int hi = ORDER.indexOf(max);
        if (lo < 0 || hi < 0) {
            throw new IllegalArgumentException("tls_server_config.min_version/max_version must be one of " + ORDER);
        }
        if (lo > hi) {
            throw new IllegalArgumentException("tls_server_config.min_version " + min + " is above max_version " + max);
        }
        Set<String> supported = new LinkedHashSet<>(Arrays.asList(ctx.getSupportedSSLParameters().getProtocols()));
        List<String> out = new ArrayList<>();
        for (int i = lo; i <= hi; i++) {
            String p = VERSIONS.get(ORDER.get(i));
            if (supported.contains(p)) {
                out.add(p);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no TLS version between " + min + " and " + max + " is available in this JVM");
        }
        return out.toArray(new String[0]);
    }

    /**
     * Go names (exporter-toolkit) mapped to the JDK's: mostly identical IANA names; Go's short
     * CHACHA20_POLY1305 names lack the _SHA256 suffix. As in Go, the list governs TLS 1.2 and
     * below; TLS 1.3 suites stay enabled.
     */
    private List<String> cipherSuites(Map<String, Object> tls, SSLContext ctx) {
        Object v = tls.get("cipher_suites");
        if (v == null) {
            return null;
        }
        if (!(v instanceof List)) {
            throw new IllegalArgumentException("tls_server_config.cipher_suites must be a list");
        }
        Set<String> supported = new LinkedHashSet<>(Arrays.asList(ctx.getSupportedSSLParameters().getCipherSuites()));
        List<String> out = new ArrayList<>();
        for (Object o : (List<?>) v) {
            String name = String.valueOf(o);
            if (supported.contains(name)) {
                out.add(name);
            } else if (supported.contains(name + "_SHA256")) {
                out.add(name + "_SHA256");
            } else {
                MetricsAgentLog.warn("web config file '" + file + "': cipher suite '" + name + "' is not available in this JVM; skipped");
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("none of tls_server_config.cipher_suites is available in this JVM");
        }
        for (String s : ctx.getDefaultSSLParameters().getCipherSuites()) {
            if (s.startsWith("TLS_AES_") || s.startsWith("TLS_CHACHA20_")) {
                out.add(s);
            }
        }
        return out;
    }

    private List<String[]> headers(Map<String, Object> http) {
        List<String[]> out = new ArrayList<>();
        if (http == null) {
            return out;
        }
        for (String key : http.keySet()) {
            if (key.equals("http2")) {
                MetricsAgentLog.warn("web config file '" + file + "': http_server_config.http2 is not supported (the endpoint speaks HTTP/1.1); ignored");
            } else if (!key.equals("headers")) {
                MetricsAgentLog.warn("web config file '" + file + "': http_server_config." + key + " is not supported by this agent; ignored");
            }
        }
        Map<String, Object> headers = map(http, "headers");
        if (headers == null) {
            return out;
        }
        for (Map.Entry<String, Object> e : headers.entrySet()) {
            String name = e.getKey();
            String value = e.getValue() == null ? "" : String.valueOf(e.getValue());
            if (!name.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+") || value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                throw new IllegalArgumentException("http_server_config.headers: '" + name + "' is not a valid header");
            }
            if (RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("http_server_config.headers: '" + name + "' is set by the endpoint itself");
            }
            out.add(new String[] {name, value});
        }
        return out;
    }

    /** Signs with the key and verifies with the certificate: a mismatched pair fails here, not per handshake. */
    private static void checkPair(PrivateKey key, X509Certificate cert, Path keyFile, Path certFile) {
        String alg;
        switch (key.getAlgorithm()) {
            case "RSA": alg = "SHA256withRSA"; break;
            case "EC": alg = "SHA256withECDSA"; break;
            case "Ed25519": case "Ed448": case "EdDSA": alg = key.getAlgorithm(); break;
            default: return;
        }
        try {
            byte[] probe = "yawl-metrics-agent key check".getBytes(StandardCharsets.US_ASCII);
            Signature s = Signature.getInstance(alg);
            s.initSign(key);
            s.update(probe);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance(alg);
            v.initVerify(cert.getPublicKey());
            v.update(probe);
            if (!v.verify(sig)) {
                throw new IllegalArgumentException("key_file '" + keyFile + "' does not belong to the certificate in cert_file '" + certFile + "'");
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("key_file '" + keyFile + "' does not belong to the certificate in cert_file '"
                    + certFile + "' (" + e.getMessage() + ")");
        }
    }

    private static String readFile(Path p, String what) {
        try {
            return Pem.read(p);
        } catch (IOException e) {
            throw new IllegalArgumentException(what + " '" + p + "' cannot be read (" + e + ")");
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        Object v = parent.get(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof Map)) {
            throw new IllegalArgumentException(key + " must be a mapping");
        }
        return (Map<String, Object>) v;
    }

    private static String string(Map<String, Object> m, String key, String def) {
        Object v = m.get(key);
        if (v == null) {
            return def;
        }
        if (!(v instanceof String)) {
            throw new IllegalArgumentException("tls_server_config." + key + " must be a single value");
        }
        return (String) v;
    }

    private static Path path(Map<String, Object> m, String key, Path dir, boolean required) {
        String v = string(m, key, null);
        if (v == null || v.isEmpty()) {
            if (required) {
                throw new IllegalArgumentException("tls_server_config." + key + " is required");
            }
            return null;
        }
        Path p = Paths.get(v);
        return p.isAbsolute() ? p : dir.resolve(p);
    }
}
