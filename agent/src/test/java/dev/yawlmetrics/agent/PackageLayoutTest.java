package dev.yawlmetrics.agent;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The agent's packages point one way only (docs/architecture.md): the root (entry point and the
 * module list) may use everything; an instrumentation module uses the weaver, the shared engine
 * shapes, metrics, config and core, never another module; the weaver knows nothing of metrics
 * or of any module. A reference that points back up fails here with the file that makes it.
 */
class PackageLayoutTest {
    static final Path SOURCES = Path.of("src/main/java/dev/yawlmetrics/agent");
    static final String ROOT = "";
    static final Set<String> MODULES = Set.of("discovery", "etcd", "heartbeat", "httpclient", "jvm", "lifecycle", "marketplace");
    static final Set<String> MODULE_MAY_USE = Set.of("instrumentation", "targets", "metrics", "config", "core");
    /** Every package but the modules and the root, with what it may use. */
    static final Map<String, Set<String>> MAY_USE = Map.of(
            "core", Set.of(),
            "config", Set.of("core"),
            "instrumentation", Set.of("config", "core"),
            "targets", Set.of("instrumentation", "config", "core"),
            "metrics", Set.of("instrumentation", "config", "core"),
            "endpoint", Set.of("metrics", "config", "core"),
            // TLS and basic auth, loaded by name only when a web config file is set
            "endpoint.security", Set.of("endpoint", "metrics", "config", "core"),
            "attach", Set.of("endpoint", "instrumentation", "metrics", "config", "core"));

    private static final Pattern REFERENCE = Pattern.compile("\\bdev\\.yawlmetrics\\.agent\\.([a-z]\\w*)\\.[A-Za-z]");

    @Test
    void noPackagePointsBackUp() throws IOException {
        List<String> violations = new ArrayList<>();
        Map<String, Set<String>> uses = uses();
        uses.forEach((pkg, used) -> {
            for (String target : used) {
                if (!allowed(pkg, target)) {
                    violations.add(pkg + " -> " + target);
                }
            }
        });
        assertEquals(List.of(), violations, "package references against the layering (see uses: " + uses + ")");
    }

    @Test
    void everyPackageIsPlaced() throws IOException {
        Set<String> unplaced = new TreeSet<>();
        try (Stream<Path> dirs = Files.list(SOURCES)) {
            dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString())
                    .filter(p -> !MODULES.contains(p) && !MAY_USE.containsKey(p)).forEach(unplaced::add);
        }
        assertEquals(Set.of(), unplaced, "new package: add it to the layering here and to docs/architecture.md");
    }

    /** The check itself sees references: the modules do use the weaver and the metrics. */
    @Test
    void referencesAreFound() throws IOException {
        Map<String, Set<String>> uses = uses();
        assertTrue(uses.get("heartbeat").contains("instrumentation"), uses.toString());
        assertTrue(uses.get("lifecycle").contains("targets"), uses.toString());
        assertTrue(uses.get(ROOT).contains("marketplace"), uses.toString());
        assertTrue(!allowed("instrumentation", "metrics") && !allowed("heartbeat", "etcd") && !allowed("metrics", "jvm"));
    }

    static boolean allowed(String from, String to) {
        if (from.equals(to) || from.equals(ROOT)) {
            return true;
        }
        if (MODULES.contains(from)) {
            return MODULE_MAY_USE.contains(to);
        }
        Set<String> may = MAY_USE.get(from);
        return may != null && may.contains(to);
    }

    /** Package (relative to dev.yawlmetrics.agent, "" for the root) -> the agent packages its sources name. */
    static Map<String, Set<String>> uses() throws IOException {
        Map<String, Set<String>> uses = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Path dir = SOURCES.relativize(f.getParent());
                String pkg = dir.toString().replace('/', '.');
                Set<String> used = uses.computeIfAbsent(pkg, k -> new TreeSet<>());
                Matcher m = REFERENCE.matcher(Files.readString(f));
                while (m.find()) {
                    if (!m.group(1).equals(pkg)) {
                        used.add(m.group(1));
                    }
                }
            }
        }
        return uses;
    }
}
