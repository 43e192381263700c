package dev.yawlmetrics.agent.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's configuration table is {@link Setting}'s, row for row: a setting added, renamed
 * or given another default without the README following fails here, with the table to paste.
 */
class SettingsReadmeTest {
    static final Path README = Path.of("../README.md");
    static final String HEADER = "| property | env | agent arg | default | values | meaning |";

    @Test
    void readmeTableIsGeneratedFromSetting() throws Exception {
        String readme = Files.readString(README);
        int start = readme.indexOf(HEADER);
        assertTrue(start >= 0, "README.md has no configuration table starting with " + HEADER);
        int end = readme.indexOf("\n\n", start);
        String current = readme.substring(start, end < 0 ? readme.length() : end).strip();
        String expected = table();
        assertEquals(expected, current, "README.md configuration table differs from Setting; the table should read:\n" + expected + "\n");
    }

    /** Every setting has what the table and the loader need. */
    @Test
    void everySettingIsComplete() {
        for (Setting<?> s : Setting.all()) {
            assertTrue(s.property().startsWith(Setting.METRICS_PREFIX) || s.property().startsWith(Setting.INSTRUMENTATION_PREFIX), s.property());
            assertTrue(!s.description().isBlank() && !s.accepted().isBlank() && s.defaultValue() != null, s.property());
            assertEquals(List.of(), ConfigLoader.load(s.shortName() + "=" + raw(s.defaultValue()), Map.of(), Map.of()).problems(),
                    s.property() + ": its own default, given as its short name, must be accepted");
        }
    }

    static String table() {
        StringJoiner rows = new StringJoiner("\n");
        rows.add(HEADER).add("|---|---|---|---|---|---|");
        for (Setting<?> s : Setting.all()) {
            rows.add("| `" + s.property() + "` | `" + s.envName() + "` | `" + s.shortName() + "` | "
                    + shown(s.defaultValue()) + " | " + s.accepted() + " | " + s.description() + " |");
            if (s == Setting.HTTP_THREADS) {
                Setting<Boolean> any = Setting.switchOf(InstrumentationName.JVM);
                rows.add("| `" + Setting.INSTRUMENTATION_PREFIX + "<name>.enabled` | `YAWL_INSTRUMENTATION_<NAME>_ENABLED` | `<name>.enabled` | "
                        + shown(any.defaultValue()) + " | " + any.accepted() + " | one switch per instrumentation: `"
                        + InstrumentationName.knownIds().replace(", ", "`, `") + "` |");
            }
        }
        return rows.toString();
    }

    private static String shown(Object value) {
        String raw = raw(value);
        return raw.isEmpty() ? "(none)" : "`" + raw + "`";
    }

    private static String raw(Object value) {
        if (value instanceof Map<?, ?> m) {
            StringJoiner j = new StringJoiner(";");
            m.forEach((k, v) -> j.add(k + "=" + v));
            return j.toString();
        }
        if (value instanceof Collection<?> c) {
            StringJoiner j = new StringJoiner(";");
            c.forEach(v -> j.add(String.valueOf(v)));
            return j.toString();
        }
        return String.valueOf(value);
    }
}
