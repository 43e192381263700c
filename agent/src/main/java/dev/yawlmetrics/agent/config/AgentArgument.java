package dev.yawlmetrics.agent.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * The agent argument as the operator wrote it. The JVM hands a {@code -javaagent} option with
 * non-ASCII characters to premain mangled (measured on Temurin 17 and 25, with C and UTF-8
 * locales alike): each UTF-8 byte becomes one char, and the string is cut to the number of code
 * points of the correctly decoded text, so {@code tags=e=🚀,port=39511} arrives as
 * {@code tags=e=ð\u009f\u009a\u0080,port=39}. The bytes that did arrive are intact, so the
 * original is recovered from the process's own command line (or JAVA_TOOL_OPTIONS), read as raw
 * bytes and decoded as UTF-8. When that is not possible, the cut-off last setting is dropped and
 * reported instead of being used with a truncated value.
 */
public final class AgentArgument {
    /** What premain received, decoded: the text to parse and, if anything was wrong, why. */
    public static final class Decoded {
        public final String value;
        /** null when the argument was plain ASCII or fully recovered without doubt. */
        public final String problem;
        /** The last comma-separated setting was cut by the JVM and must not be used. */
        public final boolean lastSettingCut;

        Decoded(String value, String problem, boolean lastSettingCut) {
            this.value = value;
            this.problem = problem;
            this.lastSettingCut = lastSettingCut;
        }
    }

    private AgentArgument() {}

    public static Decoded decode(String received) {
        return decode(received, AgentArgument::rawOptionCandidates);
    }

    static Decoded decode(String received, List<byte[]> candidates) {
        return decode(received, () -> candidates);
    }

    /**
     * The command line is read only for a non-ASCII argument: reading /proc (and loading the NIO
     * file classes for it) cost ~5 ms of the engine's main thread at every start (docs/benchmarks.md).
     */
    static Decoded decode(String received, Supplier<List<byte[]>> rawOptions) {
        if (received == null || isAscii(received)) {
            return new Decoded(received, null, false);
        }
        List<byte[]> candidates = rawOptions.get();
        byte[] prefix = new byte[received.length()];
        for (int i = 0; i < received.length(); i++) {
            char c = received.charAt(i);
            if (c > 0xff) {
                // Not the byte-per-char mangling: the JVM decoded it properly; take it as it is.
                return new Decoded(received, null, false);
            }
            prefix[i] = (byte) c;
        }
        for (byte[] candidate : candidates) {
            if (startsWith(candidate, prefix)) {
                String full = utf8(candidate);
                if (full != null) {
                    return new Decoded(full, "the agent argument has non-ASCII characters, which the JVM passes to agents"
                            + " garbled and cut short; the original was read from the command line as UTF-8", false);
                }
            }
        }
        // A non-ASCII code point takes 2-4 UTF-8 bytes, so bytes are always missing at the end.
        return new Decoded(new String(prefix, StandardCharsets.UTF_8), "the agent argument has non-ASCII characters, which"
                + " the JVM passes to agents garbled and cut short, and the original could not be read from the command line;"
                + " its last setting is ignored (settings after it are lost): use only ASCII in the agent argument,"
                + " or the system property / environment variable for such a value", true);
    }

    /** Every "-javaagent:jar=OPTIONS" option on the command line and in JAVA_TOOL_OPTIONS, as raw bytes. */
    static List<byte[]> rawOptionCandidates() {
        List<byte[]> out = new ArrayList<>();
        try {
            addAgentOptions(split(Files.readAllBytes(Paths.get("/proc/self/cmdline")), (byte) 0), out);
            for (byte[] env : split(Files.readAllBytes(Paths.get("/proc/self/environ")), (byte) 0)) {
                String name = new String(env, 0, Math.min(env.length, 20), StandardCharsets.ISO_8859_1);
                if (name.startsWith("JAVA_TOOL_OPTIONS=") || name.startsWith("JDK_JAVA_OPTIONS=")) {
                    byte[] value = Arrays.copyOfRange(env, name.indexOf('=') + 1, env.length);
                    addAgentOptions(split(value, (byte) ' '), out);
                }
            }
        } catch (IOException | RuntimeException notLinux) {
            // no /proc: nothing to recover from
        }
        return out;
    }

    private static void addAgentOptions(List<byte[]> args, List<byte[]> out) {
        byte[] marker = "-javaagent:".getBytes(StandardCharsets.US_ASCII);
        for (byte[] a : args) {
            if (!startsWith(a, marker)) {
                continue;
            }
            for (int i = marker.length; i < a.length; i++) {
                if (a[i] == '=') {
                    out.add(Arrays.copyOfRange(a, i + 1, a.length));
                    break;
                }
            }
        }
    }

    private static List<byte[]> split(byte[] data, byte separator) {
        List<byte[]> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= data.length; i++) {
            if (i == data.length || data[i] == separator) {
                if (i > start) {
                    out.add(Arrays.copyOfRange(data, start, i));
                }
                start = i + 1;
            }
        }
        return out;
    }

    private static boolean startsWith(byte[] data, byte[] prefix) {
        if (data.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (data[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

}
