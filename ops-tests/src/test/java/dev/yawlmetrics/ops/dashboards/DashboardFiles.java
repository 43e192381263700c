package dev.yawlmetrics.ops.dashboards;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Reads the committed dashboards/*.json and pulls out their queries the way Grafana would run them. */
final class DashboardFiles {
    private DashboardFiles() {}

    /** One PromQL query found in a dashboard: where it is, and its text. */
    record Query(String dashboard, String where, String expr) {
        @Override
        public String toString() {
            return dashboard + " / " + where + ": " + expr;
        }
    }

    static Path dir() {
        return Paths.get(System.getProperty("repo.root", "..")).toAbsolutePath().normalize().resolve("dashboards");
    }

    static Path fileOf(String uid) {
        return dir().resolve(uid + ".json");
    }

    /** uid -> parsed committed dashboard, in file name order. */
    static Map<String, JsonNode> load() {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(dir())) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                JsonNode d = Grafana.JSON.readTree(f.toFile());
                out.put(f.getFileName().toString().replace(".json", ""), d);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Every panel, rows included, flattened (rows' nested panels too). */
    static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode p : dashboard.path("panels")) {
            out.add(p);
            for (JsonNode nested : p.path("panels")) {
                out.add(nested);
            }
        }
        return out;
    }

    static boolean isRow(JsonNode panel) {
        return panel.path("type").asText().equals("row");
    }

    /**
     * Every query of a dashboard: panel targets, annotation queries and the variables'
     * {@code label_values(selector, label)} turned into {@code group by (label) (selector)}.
     */
    static List<Query> queries(String uid, JsonNode dashboard) {
        List<Query> out = new ArrayList<>();
        for (JsonNode p : panels(dashboard)) {
            for (JsonNode t : p.path("targets")) {
                out.add(new Query(uid, "panel " + p.path("id").asInt() + " '" + p.path("title").asText() + "' "
                        + t.path("refId").asText(), t.path("expr").asText()));
            }
        }
        for (JsonNode a : dashboard.path("annotations").path("list")) {
            if (a.has("expr")) {
                out.add(new Query(uid, "annotation '" + a.path("name").asText() + "'", a.path("expr").asText()));
            }
        }
        Pattern labelValues = Pattern.compile("label_values\\((.*),\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\)");
        for (JsonNode v : dashboard.path("templating").path("list")) {
            if (v.path("type").asText().equals("query")) {
                Matcher m = labelValues.matcher(v.path("definition").asText());
                if (!m.matches()) {
                    throw new AssertionError(uid + ": variable " + v.path("name").asText() + " is not label_values(selector, label)");
                }
                String selector = m.group(1).contains("{") ? m.group(1) : m.group(1) + "{}";
                out.add(new Query(uid, "variable $" + v.path("name").asText(), "group by (" + m.group(2) + ") (" + selector + ")"));
            }
        }
        return out;
    }

    /**
     * The query as Grafana sends it, for a test Prometheus scraping every second: every
     * multi-value variable at "All" (".*"), custom variables at their default, the rate interval
     * at 10 s (several scrapes), the dashboard range at 1 h.
     */
    static String substitute(String expr, JsonNode dashboard) {
        String s = expr.replace("$__rate_interval", "10s").replace("$__interval", "5s").replace("$__range", "1h");
        for (JsonNode v : dashboard.path("templating").path("list")) {
            String name = v.path("name").asText();
            String value = switch (v.path("type").asText()) {
                case "query" -> ".*";
                case "custom", "constant" -> v.path("current").path("value").asText();
                default -> null;
            };
            if (value != null) {
                s = s.replace("${" + name + "}", value).replaceAll("\\$" + name + "(?![a-zA-Z0-9_])", Matcher.quoteReplacement(value));
            }
        }
        if (s.contains("$")) {
            throw new AssertionError("unsubstituted variable in: " + s);
        }
        return s;
    }

    private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\{([^}]*)\\}");

    /** Metric names used in a query (every selector in these dashboards has braces). */
    static Set<String> metricNames(String expr) {
        Set<String> out = new LinkedHashSet<>();
        Matcher m = SELECTOR.matcher(expr);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** name -> label matcher text of each selector in a query. */
    static List<String[]> selectors(String expr) {
        List<String[]> out = new ArrayList<>();
        Matcher m = SELECTOR.matcher(expr);
        while (m.find()) {
            out.add(new String[] {m.group(1), m.group(2)});
        }
        return out;
    }
}
