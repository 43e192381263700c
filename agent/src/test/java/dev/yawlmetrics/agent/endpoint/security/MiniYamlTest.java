package dev.yawlmetrics.agent.endpoint.security;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MiniYamlTest {
    @Test
    void readsTheShapesWebConfigFilesUse() {
        Map<String, Object> m = MiniYaml.parse(String.join("\n",
                "# exporter-toolkit web config",
                "tls_server_config:",
                "  cert_file: server.crt   # relative to this file",
                "  key_file: \"server key.pem\"",
                "  client_auth_type: 'RequireAndVerifyClientCert'",
                "  cipher_suites: [ TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, 'TLS_AES_128_GCM_SHA256' ]",
                "  curve_preferences:",
                "  - X25519",
                "  - CurveP256",
                "http_server_config:",
                "  headers:",
                "    X-Frame-Options: deny",
                "basic_auth_users:",
                "  prometheus: $2y$10$abcdefghijklmnopqrstuv.ABCDEFGHIJKLMNOPQRSTUVWXYZ01234",
                "  empty:",
                ""));
        @SuppressWarnings("unchecked")
        Map<String, Object> tls = (Map<String, Object>) m.get("tls_server_config");
        assertEquals("server.crt", tls.get("cert_file"));
        assertEquals("server key.pem", tls.get("key_file"));
        assertEquals("RequireAndVerifyClientCert", tls.get("client_auth_type"));
        assertEquals(List.of("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_AES_128_GCM_SHA256"), tls.get("cipher_suites"));
        assertEquals(List.of("X25519", "CurveP256"), tls.get("curve_preferences"));
        assertEquals(Map.of("headers", Map.of("X-Frame-Options", "deny")), m.get("http_server_config"));
        @SuppressWarnings("unchecked")
        Map<String, Object> users = (Map<String, Object>) m.get("basic_auth_users");
        assertEquals("$2y$10$abcdefghijklmnopqrstuv.ABCDEFGHIJKLMNOPQRSTUVWXYZ01234", users.get("prometheus"));
        assertTrue(users.containsKey("empty") && users.get("empty") == null);
    }

    @Test
    void emptyFileIsAnEmptyMapping() {
        assertTrue(MiniYaml.parse("# nothing\n\n").isEmpty());
        assertTrue(MiniYaml.parse("---\n").isEmpty());
    }

    @Test
    void refusesWhatItDoesNotUnderstand() {
        for (String bad : new String[] {
                "a: 1\na: 2\n",                       // duplicate key
                "a:\n\tb: 1\n",                       // tab indentation
                "a: &anchor x\n",                     // anchor
                "a: *alias\n",                        // alias
                "a: |\n  text\n",                     // block scalar
                "a: {b: 1}\n",                        // flow mapping with content
                "a: [x, [y]]\n",                      // nested flow
                "a: 'unterminated\n",
                "- x\n",                              // top level is a list
                "a:\n  - b: c\n",                     // mapping inside a list
                "  a: 1\n",                           // indented first key
                "a: 1\n    b: 2\n",                   // stray indentation
                "just text\n",
        }) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MiniYaml.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("line "), e.getMessage());
        }
    }
}
