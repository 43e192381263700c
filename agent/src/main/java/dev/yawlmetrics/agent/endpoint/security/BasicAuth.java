package dev.yawlmetrics.agent.endpoint.security;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.yawlmetrics.agent.endpoint.ConnectionPolicy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * basic_auth_users with bcrypt hashes, as exporter-toolkit checks them. A bcrypt check costs
 * tens of milliseconds on purpose, so: a password that verified is remembered (as a SHA-256
 * digest, per user; this object lives as long as one version of the file, so a changed hash
 * forgets it) and later scrapes cost one digest and a constant-time compare; at most one bcrypt
 * check runs at a time (a flood of wrong passwords costs at most one core, and waits beyond
 * {@link #WAIT_MILLIS} get 503); a wrong password that was already checked is refused from a
 * bounded cache without bcrypt.
 */
final class BasicAuth {
    static final Pattern BCRYPT_HASH = Pattern.compile("\\$2[aby]\\$(0[4-9]|[12][0-9]|3[01])\\$[./A-Za-z0-9]{53}");
    static final long WAIT_MILLIS = 2_000;
    private static final int MAX_REMEMBERED_FAILURES = 1024;
    /** Checked for unknown users, so they cost the same time as known ones (cost 10). */
    private static final String DUMMY_HASH = "$2y$10$QYxRtfVmg7yr1vMAh8g3M.8dAtpoz5J5FeVzhHFtG.vK1KsUYNEyy";

    private final Map<String, byte[]> hashes = new LinkedHashMap<>();
    private final Map<String, byte[]> verified = new ConcurrentHashMap<>();
    private final Map<String, Boolean> failed = new ConcurrentHashMap<>();
    private final Semaphore bcryptSlot = new Semaphore(1);

    /** @param users user name to bcrypt hash; every hash already validated by {@link #validHash} */
    BasicAuth(Map<String, String> users) {
        users.forEach((u, h) -> hashes.put(u, h.getBytes(StandardCharsets.UTF_8)));
    }

    static boolean validHash(String hash) {
        return hash != null && BCRYPT_HASH.matcher(hash).matches();
    }

    int users() {
        return hashes.size();
    }

    ConnectionPolicy.Auth check(String authorization) {
        if (authorization == null || authorization.length() < 6
                || !authorization.substring(0, 6).toLowerCase(Locale.ROOT).equals("basic ")) {
            return ConnectionPolicy.Auth.DENIED;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return ConnectionPolicy.Auth.DENIED;
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return ConnectionPolicy.Auth.DENIED;
        }
        String user = decoded.substring(0, colon);
        byte[] password = decoded.substring(colon + 1).getBytes(StandardCharsets.UTF_8);
        byte[] digest = sha256(password);
        byte[] known = verified.get(user);
        if (known != null && MessageDigest.isEqual(known, digest)) {
            return ConnectionPolicy.Auth.ALLOWED;
        }
        String failureKey = Base64.getEncoder().encodeToString(sha256((user + '\0' + decoded.substring(colon + 1))
                .getBytes(StandardCharsets.UTF_8)));
        if (failed.containsKey(failureKey)) {
            return ConnectionPolicy.Auth.DENIED;
        }
        byte[] hash = hashes.get(user);
        try {
            if (!bcryptSlot.tryAcquire(WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                return ConnectionPolicy.Auth.BUSY;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ConnectionPolicy.Auth.BUSY;
        }
        boolean ok;
        try {
            byte[] against = hash != null ? hash : DUMMY_HASH.getBytes(StandardCharsets.UTF_8);
            ok = BCrypt.verifyer().verify(password, against).verified && hash != null;
        } catch (RuntimeException tooLongOrMalformed) {
            ok = false;
        } finally {
            bcryptSlot.release();
        }
        if (ok) {
            verified.put(user, digest);
            return ConnectionPolicy.Auth.ALLOWED;
        }
        if (failed.size() >= MAX_REMEMBERED_FAILURES) {
            failed.clear();
        }
        failed.put(failureKey, Boolean.TRUE);
        return ConnectionPolicy.Auth.DENIED;
    }

    private static byte[] sha256(byte[] in) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(in);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
