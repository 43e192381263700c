package dev.yawlmetrics.agent.config;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AgentArgumentTest {
    /** What the JVM hands premain for {@code original}: one char per UTF-8 byte, cut to the number of code points (measured). */
    static String asTheJvmMangles(String original) {
        byte[] utf8 = original.getBytes(StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < original.codePointCount(0, original.length()); i++) {
            sb.append((char) (utf8[i] & 0xff));
        }
        return sb.toString();
    }

    @Test
    void asciiPassesUnchanged() {
        AgentArgument.Decoded d = AgentArgument.decode("port=9464,tags=a=b", List.of());
        assertEquals("port=9464,tags=a=b", d.value);
        assertNull(d.problem);
        assertFalse(d.lastSettingCut);
    }

    @Test
    void recoveredFromTheRawCommandLine() {
        String original = "tags=e=🚀;site=Zürich,port=39511";
        String received = asTheJvmMangles(original);
        assertTrue(received.endsWith(",port=3"), "the JVM cuts one char per extra UTF-8 byte: " + received);
        AgentArgument.Decoded d = AgentArgument.decode(received, List.of(
                "port=1".getBytes(StandardCharsets.UTF_8), original.getBytes(StandardCharsets.UTF_8)));
        assertEquals(original, d.value);
        assertNotNull(d.problem, "reported even when recovered");
        assertFalse(d.lastSettingCut);
    }

    @Test
    void notRecoverableDropsTheCutSettingInsteadOfUsingIt() {
        String received = asTheJvmMangles("tags=e=🚀,port=39511");
        AgentArgument.Decoded d = AgentArgument.decode(received, List.of());
        assertEquals("tags=e=🚀,port=39", d.value);
        assertTrue(d.lastSettingCut);
        assertTrue(d.problem.contains("last setting is ignored"), d.problem);
    }

    @Test
    void properlyDecodedTextIsTakenAsItIs() {
        AgentArgument.Decoded d = AgentArgument.decode("tags=e=\u4e2d", List.of());
        assertEquals("tags=e=\u4e2d", d.value);
        assertFalse(d.lastSettingCut);
    }

    @Test
    void anAsciiArgumentIsTakenAsItIsWithoutReadingTheCommandLine() {
        AgentArgument.Decoded d = AgentArgument.decode("port=9464,host=127.0.0.1", () -> {
            throw new AssertionError("read /proc for an ASCII argument");
        });
        assertEquals("port=9464,host=127.0.0.1", d.value);
        assertNull(d.problem);
    }
}
