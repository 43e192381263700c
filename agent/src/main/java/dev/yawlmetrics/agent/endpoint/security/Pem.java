package dev.yawlmetrics.agent.endpoint.security;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * PEM certificates and private keys as {@code openssl} writes them. The JDK reads PKCS#8 only;
 * the two traditional formats are wrapped into PKCS#8 as the standards define it, without
 * touching the key material: PKCS#1 {@code RSA PRIVATE KEY} (RFC 8017) into a PrivateKeyInfo
 * with the rsaEncryption algorithm (RFC 5208), and SEC1 {@code EC PRIVATE KEY} (RFC 5915) into
 * one with id-ecPublicKey and the curve named inside the SEC1 structure (RFC 5480).
 */
final class Pem {
    private static final byte[] OID_RSA = {0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01};
    private static final byte[] OID_EC_PUBLIC_KEY = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};
    private static final byte[] DER_NULL = {0x05, 0x00};
    private static final byte[] VERSION_0 = {0x02, 0x01, 0x00};

    private Pem() {}

    /** One {@code -----BEGIN type-----} block: its type and decoded bytes. */
    static final class Block {
        final String type;
        final byte[] der;
        final boolean encrypted;

        Block(String type, byte[] der, boolean encrypted) {
            this.type = type;
            this.der = der;
            this.encrypted = encrypted;
        }
    }

    static List<Block> blocks(String text) {
        List<Block> out = new ArrayList<>();
        String[] lines = text.replace("\r", "").split("\n");
        String type = null;
        StringBuilder b64 = null;
        boolean encrypted = false;
        for (String raw : lines) {
            String line = raw.trim();
            if (type == null) {
                if (line.startsWith("-----BEGIN ") && line.endsWith("-----")) {
                    type = line.substring(11, line.length() - 5);
                    b64 = new StringBuilder();
                    encrypted = false;
                }
            } else if (line.equals("-----END " + type + "-----")) {
                byte[] der;
                try {
                    der = Base64.getDecoder().decode(b64.toString());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("PEM block '" + type + "' is not valid base64");
                }
                out.add(new Block(type, der, encrypted));
                type = null;
            } else if (line.contains(":")) {
                encrypted |= line.startsWith("Proc-Type:") && line.contains("ENCRYPTED");
            } else {
                b64.append(line);
            }
        }
        if (type != null) {
            throw new IllegalArgumentException("PEM block '" + type + "' has no END line");
        }
        return out;
    }

    static List<X509Certificate> certificates(String text, String what) throws GeneralSecurityException {
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        List<X509Certificate> certs = new ArrayList<>();
        for (Block b : blocks(text)) {
            if (b.type.equals("CERTIFICATE")) {
                certs.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(b.der)));
            }
        }
        if (certs.isEmpty()) {
            throw new IllegalArgumentException(what + " holds no PEM CERTIFICATE block");
        }
        return certs;
    }

    static PrivateKey privateKey(String text, String what) throws GeneralSecurityException {
        for (Block b : blocks(text)) {
            switch (b.type) {
                case "PRIVATE KEY":
                    return pkcs8(b.der, what, "RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS");
                case "RSA PRIVATE KEY":
                    refuseEncrypted(b, what);
                    return pkcs8(wrapPkcs1(b.der), what, "RSA");
                case "EC PRIVATE KEY":
                    refuseEncrypted(b, what);
                    return pkcs8(wrapSec1(b.der), what, "EC");
                case "ENCRYPTED PRIVATE KEY":
                    throw new IllegalArgumentException(what + " is an encrypted private key; the key file must not be encrypted");
                default:
                    // e.g. "EC PARAMETERS" written by `openssl ecparam -genkey`
            }
        }
        throw new IllegalArgumentException(what + " holds no PEM private key (PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)");
    }

    private static void refuseEncrypted(Block b, String what) {
        if (b.encrypted) {
            throw new IllegalArgumentException(what + " is an encrypted private key; the key file must not be encrypted");
        }
    }

    private static PrivateKey pkcs8(byte[] der, String what, String... algorithms) {
        for (String alg : algorithms) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException | RuntimeException tryNext) {
                // not this algorithm
            }
        }
        throw new IllegalArgumentException(what + " holds a private key the JDK cannot read as " + String.join("/", algorithms));
    }

    /** PrivateKeyInfo { version 0, AlgorithmIdentifier { rsaEncryption, NULL }, OCTET STRING pkcs1 }. */
    static byte[] wrapPkcs1(byte[] pkcs1) {
        return sequence(VERSION_0, sequence(OID_RSA, DER_NULL), tlv(0x04, pkcs1));
    }

    /** PrivateKeyInfo { version 0, AlgorithmIdentifier { id-ecPublicKey, curve }, OCTET STRING sec1 }. */
    static byte[] wrapSec1(byte[] sec1) {
        byte[] curve = curveOf(sec1);
        return sequence(VERSION_0, sequence(OID_EC_PUBLIC_KEY, curve), tlv(0x04, sec1));
    }

    /** The named-curve OID (complete TLV) in the SEC1 ECPrivateKey's [0] parameters. */
    private static byte[] curveOf(byte[] sec1) {
        int[] outer = header(sec1, 0);
        if (sec1[0] != 0x30) {
            throw new IllegalArgumentException("EC PRIVATE KEY is not a DER SEQUENCE");
        }
        int p = outer[0];
        int end = outer[0] + outer[1];
        while (p < end) {
            int tag = sec1[p] & 0xff;
            int[] h = header(sec1, p);
            if (tag == 0xa0) {
                int q = h[0];
                if (sec1[q] != 0x06) {
                    throw new IllegalArgumentException("EC PRIVATE KEY uses explicit curve parameters; only named curves are supported");
                }
                int[] oid = header(sec1, q);
                byte[] out = new byte[oid[0] + oid[1] - q];
                System.arraycopy(sec1, q, out, 0, out.length);
                return out;
            }
            p = h[0] + h[1];
        }
        throw new IllegalArgumentException("EC PRIVATE KEY does not name its curve");
    }

    /** {offset of the value, length of the value} of the TLV at {@code at}. */
    private static int[] header(byte[] der, int at) {
        if (at + 2 > der.length) {
            throw new IllegalArgumentException("truncated DER");
        }
        int len = der[at + 1] & 0xff;
        int p = at + 2;
        if (len >= 0x80) {
            int n = len & 0x7f;
            if (n == 0 || n > 3 || p + n > der.length) {
                throw new IllegalArgumentException("unsupported DER length");
            }
            len = 0;
            for (int i = 0; i < n; i++) {
                len = (len << 8) | (der[p++] & 0xff);
            }
        }
        if (p + len > der.length) {
            throw new IllegalArgumentException("truncated DER");
        }
        return new int[] {p, len};
    }

    private static byte[] sequence(byte[]... parts) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            body.writeBytes(p);
        }
        return tlv(0x30, body.toByteArray());
    }

    private static byte[] tlv(int tag, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(value.length + 6);
        out.write(tag);
        int n = value.length;
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x100) {
            out.write(0x81);
            out.write(n);
        } else if (n < 0x10000) {
            out.write(0x82);
            out.write(n >> 8);
            out.write(n);
        } else {
            out.write(0x83);
            out.write(n >> 16);
            out.write(n >> 8);
            out.write(n);
        }
        out.writeBytes(value);
        return out.toByteArray();
    }

    static String read(java.nio.file.Path p) throws java.io.IOException {
        return new String(java.nio.file.Files.readAllBytes(p), StandardCharsets.US_ASCII);
    }
}
