package dev.yawlmetrics.ops.rules;

import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The shipped operations files of the repository: rules/, docs/runbooks.md, dashboards/. */
final class OpsFiles {
    private OpsFiles() {}

    /** One alert or recording rule as written in a rule file. */
    record Rule(String file, String group, String name, boolean alert, String expr, String forDuration,
                Map<String, String> labels, Map<String, String> annotations) {}

    static Path root() {
        return Paths.get(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
    }

    static Path rulesDir() {
        return root().resolve("rules");
    }

    /** The rule files Prometheus loads (the ones prometheus.yml lists), in load order. */
    static List<Path> ruleFiles() {
        return List.of(rulesDir().resolve("recording.yml"), rulesDir().resolve("alerts.yml"));
    }

    static Path runbooks() {
        return root().resolve("docs/runbooks.md");
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> yaml(Path p) {
        return (Map<String, Object>) new Yaml().load(read(p));
    }

    @SuppressWarnings("unchecked")
    static List<Rule> rules() {
        List<Rule> out = new ArrayList<>();
        for (Path file : ruleFiles()) {
            for (Map<String, Object> g : (List<Map<String, Object>>) yaml(file).get("groups")) {
                for (Map<String, Object> r : (List<Map<String, Object>>) g.get("rules")) {
                    boolean alert = r.containsKey("alert");
                    out.add(new Rule(file.getFileName().toString(), (String) g.get("name"),
                            (String) (alert ? r.get("alert") : r.get("record")), alert, (String) r.get("expr"),
                            (String) r.get("for"), strings(r.get("labels")), strings(r.get("annotations"))));
                }
            }
        }
        return out;
    }

    static List<Rule> alerts() {
        return rules().stream().filter(Rule::alert).toList();
    }

    static List<Rule> recordings() {
        return rules().stream().filter(r -> !r.alert()).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> strings(Object o) {
        Map<String, String> m = new LinkedHashMap<>();
        if (o != null) {
            ((Map<String, Object>) o).forEach((k, v) -> m.put(k, String.valueOf(v)));
        }
        return m;
    }

    private static final Pattern PROMQL_BLOCK = Pattern.compile("```promql\\n(.*?)```", Pattern.DOTALL);

    /** Every ```promql block of docs/runbooks.md, comment lines (#) removed. */
    static List<String> runbookSnippets() {
        List<String> out = new ArrayList<>();
        Matcher m = PROMQL_BLOCK.matcher(read(runbooks()));
        while (m.find()) {
            StringBuilder sb = new StringBuilder();
            for (String line : m.group(1).split("\n")) {
                if (!line.strip().startsWith("#")) {
                    sb.append(line).append('\n');
                }
            }
            out.add(sb.toString().strip());
        }
        return out;
    }

    /** The "## Heading" lines of docs/runbooks.md. */
    static List<String> runbookHeadings() {
        List<String> out = new ArrayList<>();
        for (String line : read(runbooks()).split("\n")) {
            if (line.startsWith("## ")) {
                out.add(line.substring(3).strip());
            }
        }
        return out;
    }

    private static final Pattern JSON_EXPR = Pattern.compile("\"expr\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    /**
     * The "expr" strings of dashboards/*.json when that directory exists. Grafana's interval
     * variables become 5m, every other variable the number 1 (inside label matchers it is a string
     * and ignored; in arithmetic such as "/ $link_bps" it must not look like a metric name).
     */
    static List<String> dashboardExprs() {
        Path dir = root().resolve("dashboards");
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                Matcher m = JSON_EXPR.matcher(read(f));
                while (m.find()) {
                    String expr = m.group(1).replace("\\\"", "\"").replace("\\n", "\n").replace("\\\\", "\\");
                    out.add(expr.replaceAll("\\$__(rate_)?(range|interval)", "5m").replaceAll("\\$\\{?\\w+(:\\w+)?}?", "1"));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Metric names that legitimately come from outside this project's scrape (rules/external-metrics.txt). */
    static List<String> externalMetrics() {
        List<String> out = new ArrayList<>();
        for (String line : read(rulesDir().resolve("external-metrics.txt")).split("\n")) {
            String l = line.strip();
            if (!l.isEmpty() && !l.startsWith("#")) {
                out.add(l.split("\\s+")[0]);
            }
        }
        return out;
    }
}
