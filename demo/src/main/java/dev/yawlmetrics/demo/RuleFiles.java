package dev.yawlmetrics.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The rule files the demo's Prometheus loads: exactly those that {@code rules/prometheus.yml} lists under
 * {@code rule_files:}, so the demo evaluates what an operator deploys. Guessing them from a glob of
 * {@code rules/*.yml} once loaded {@code web-config.example.yml} as a rule file and Prometheus refused to start.
 */
public final class RuleFiles {
    private RuleFiles() {
    }

    /** Paths resolved against {@code rulesDir}; an empty list when there is no {@code prometheus.yml}. */
    public static List<Path> of(Path rulesDir) throws IOException {
        Path config = rulesDir.resolve("prometheus.yml");
        if (!Files.isRegularFile(config)) {
            return List.of();
        }
        List<Path> files = new ArrayList<>();
        for (String name : listed(Files.readAllLines(config))) {
            Path file = rulesDir.resolve(name);
            if (!Files.isRegularFile(file)) {
                throw new IOException(config + " lists rule file '" + name + "', which does not exist");
            }
            files.add(file);
        }
        return List.copyOf(files);
    }

    /** The block-list items under the top-level {@code rule_files:} key (the form rules/prometheus.yml uses). */
    static List<String> listed(List<String> lines) {
        List<String> names = new ArrayList<>();
        boolean inside = false;
        for (String line : lines) {
            String code = line.replaceFirst("\\s+#.*$", "");
            if (code.isBlank() || code.startsWith("#")) {
                continue;
            }
            if (!Character.isWhitespace(code.charAt(0)) && !code.startsWith("-")) {
                inside = code.trim().equals("rule_files:");
                continue;
            }
            String item = code.trim();
            if (inside && item.startsWith("- ")) {
                names.add(item.substring(2).trim().replaceAll("^['\"]|['\"]$", ""));
            }
        }
        return names;
    }
}
