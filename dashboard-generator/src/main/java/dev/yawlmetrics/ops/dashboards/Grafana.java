package dev.yawlmetrics.ops.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small builder for Grafana dashboard JSON (schema 39, Grafana 10/11 panel types). It lays
 * panels out left to right on the 24-column grid, numbers them in declaration order and writes
 * every target against the {@code ${datasource}} variable, so the generated files cannot drift
 * from the conventions the lint tests check.
 */
final class Grafana {
    private Grafana() {}

    static final JsonNodeFactory F = JsonNodeFactory.instance;
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    static final int SCHEMA_VERSION = 39;
    static final String DS_VAR = "${datasource}";

    static ObjectNode datasourceRef() {
        ObjectNode ds = F.objectNode();
        ds.put("type", "prometheus");
        ds.put("uid", DS_VAR);
        return ds;
    }

    /** Colour steps: "green", null, "yellow", 75, "red", 90 (first value must be null). */
    static ArrayNode steps(Object... colourValuePairs) {
        ArrayNode a = F.arrayNode();
        for (int i = 0; i < colourValuePairs.length; i += 2) {
            ObjectNode s = a.addObject();
            s.put("color", (String) colourValuePairs[i]);
            Object v = colourValuePairs[i + 1];
            if (v == null) {
                s.putNull("value");
            } else {
                s.put("value", ((Number) v).doubleValue());
            }
        }
        return a;
    }

    record Target(String expr, String legend, boolean instant, String format) {}

    record Link(String title, String url, boolean targetBlank) {}

    /** One panel. Fluent setters; {@link #json(int, int, int)} renders it. */
    static final class Panel {
        final String type;
        final String title;
        String description;
        String unit;
        int w = 12;
        int h = 8;
        Double min;
        Double max;
        Integer decimals;
        String timeFrom;
        String interval;
        ArrayNode thresholds = steps("green", null);
        String thresholdStyle = "off";
        final List<Target> targets = new ArrayList<>();
        final List<Link> links = new ArrayList<>();
        final List<Link> dataLinks = new ArrayList<>();
        final ArrayNode overrides = F.arrayNode();
        final ArrayNode transformations = F.arrayNode();
        final ArrayNode valueMappings = F.arrayNode();
        final ObjectNode options = F.objectNode();
        final ObjectNode custom = F.objectNode();
        String colorMode;
        /** For the README: the question the panel answers and the design widget it implements. */
        String question;
        String design;
        /** Extra keys on the panel's fieldConfig.defaults. */
        final ObjectNode defaultsExtra = F.objectNode();

        Panel(String type, String title) {
            this.type = type;
            this.title = title;
        }

        Panel desc(String d) { this.description = d; return this; }

        Panel ask(String q, String designWidget) { this.question = q; this.design = designWidget; return this; }

        Panel unit(String u) { this.unit = u; return this; }

        Panel size(int width, int height) { this.w = width; this.h = height; return this; }

        Panel min(double v) { this.min = v; return this; }

        Panel max(double v) { this.max = v; return this; }

        Panel decimals(int d) { this.decimals = d; return this; }

        /** Text shown when the query has no series (e.g. counters whose series appear on first use). */
        Panel noValue(String text) { defaultsExtra.put("noValue", text); return this; }

        /** Panel-level relative time, e.g. "24h" where the design asks for a 24-hour window. */
        Panel timeFrom(String t) { this.timeFrom = t; return this; }

        /** Minimum query step, e.g. "1m" for per-minute bars. */
        Panel interval(String i) { this.interval = i; return this; }

        /** Colour thresholds; on time series they are drawn as dashed lines (SLO lines). */
        Panel thresholds(Object... colourValuePairs) {
            this.thresholds = steps(colourValuePairs);
            if (type.equals("timeseries")) {
                thresholdStyle = "dashed";
            }
            return this;
        }

        Panel range(String expr, String legend) { targets.add(new Target(expr, legend, false, "time_series")); return this; }

        Panel instant(String expr, String legend) { targets.add(new Target(expr, legend, true, "time_series")); return this; }

        Panel table(String expr) { targets.add(new Target(expr, "", true, "table")); return this; }

        Panel link(String title, String url) { links.add(new Link(title, url, false)); return this; }

        Panel runbook(String alert) {
            links.add(new Link("Runbook: " + alert, "${runbook_base}#" + alert.toLowerCase(), true));
            return this;
        }

        Panel dataLink(String title, String url) { dataLinks.add(new Link(title, url, false)); return this; }

        Panel option(String key, Object value) { options.set(key, JSON.valueToTree(value)); return this; }

        Panel custom(String key, Object value) { custom.set(key, JSON.valueToTree(value)); return this; }

        Panel colorMode(String mode) { this.colorMode = mode; return this; }

        /** An override: matcher ("byName", "p99") and property pairs (id, value, id, value...). */
        Panel override(String matcher, String matchValue, Object... idValuePairs) {
            ObjectNode o = overrides.addObject();
            o.putObject("matcher").put("id", matcher).put("options", matchValue);
            ArrayNode props = o.putArray("properties");
            for (int i = 0; i < idValuePairs.length; i += 2) {
                ObjectNode p = props.addObject();
                p.put("id", (String) idValuePairs[i]);
                p.set("value", JSON.valueToTree(idValuePairs[i + 1]));
            }
            return this;
        }

        /** Series name coloured green/yellow/red for p50/p95/p99 (the design's colour scheme). */
        Panel quantileColours() {
            override("byName", "p50", "color", fixed("green"));
            override("byName", "p75", "color", fixed("blue"));
            override("byName", "p95", "color", fixed("yellow"));
            override("byName", "p99", "color", fixed("red"));
            return this;
        }

        Panel transformation(String id, Object options) {
            ObjectNode t = transformations.addObject();
            t.put("id", id);
            t.set("options", JSON.valueToTree(options));
            return this;
        }

        /** Value mapping of exact values to texts and colours: value, text, colour, ... */
        Panel valueMap(Object... valueTextColour) {
            valueMappings.add(mapping(valueTextColour));
            return this;
        }

        /** The same mapping on the named fields only (a table's yes/no columns). */
        Panel valueMapOn(List<String> fieldNames, Object... valueTextColour) {
            for (String f : fieldNames) {
                ObjectNode o = overrides.addObject();
                o.putObject("matcher").put("id", "byName").put("options", f);
                ObjectNode p = o.putArray("properties").addObject();
                p.put("id", "mappings");
                p.putArray("value").add(mapping(valueTextColour));
            }
            return this;
        }

        static ObjectNode mapping(Object... valueTextColour) {
            ObjectNode m = F.objectNode();
            m.put("type", "value");
            ObjectNode opts = m.putObject("options");
            for (int i = 0; i < valueTextColour.length; i += 3) {
                ObjectNode r = opts.putObject(String.valueOf(valueTextColour[i]));
                r.put("text", (String) valueTextColour[i + 1]);
                r.put("color", (String) valueTextColour[i + 2]);
                r.put("index", i / 3);
            }
            return m;
        }

        boolean isRow() { return type.equals("row"); }

        ObjectNode json(int id, int x, int y) {
            ObjectNode p = F.objectNode();
            p.put("id", id);
            p.put("type", type);
            p.put("title", title);
            ObjectNode grid = p.putObject("gridPos");
            grid.put("h", h);
            grid.put("w", w);
            grid.put("x", x);
            grid.put("y", y);
            if (isRow()) {
                p.put("collapsed", false);
                p.putArray("panels");
                return p;
            }
            p.put("description", description);
            p.set("datasource", datasourceRef());
            if (timeFrom != null) {
                p.put("timeFrom", timeFrom);
            }
            if (interval != null) {
                p.put("interval", interval);
            }
            ObjectNode fc = p.putObject("fieldConfig");
            ObjectNode d = fc.putObject("defaults");
            d.put("unit", unit);
            if (min != null) {
                d.put("min", min);
            }
            if (max != null) {
                d.put("max", max);
            }
            if (decimals != null) {
                d.put("decimals", decimals);
            }
            ObjectNode colour = d.putObject("color");
            colour.put("mode", colorMode != null ? colorMode : defaultColorMode());
            if ("fixed".equals(colorMode)) {
                colour.put("fixedColor", "blue");
            }
            ObjectNode th = d.putObject("thresholds");
            th.put("mode", "absolute");
            th.set("steps", thresholds);
            d.set("mappings", valueMappings);
            if (!dataLinks.isEmpty()) {
                ArrayNode dl = d.putArray("links");
                for (Link l : dataLinks) {
                    dl.addObject().put("title", l.title()).put("url", l.url());
                }
            }
            ObjectNode c = defaultCustom();
            c.setAll(custom);
            if (!c.isEmpty()) {
                d.set("custom", c);
            }
            d.setAll(defaultsExtra);
            fc.set("overrides", overrides);
            ObjectNode o = defaultOptions();
            o.setAll(options);
            p.set("options", o);
            if (!transformations.isEmpty()) {
                p.set("transformations", transformations);
            }
            if (!links.isEmpty()) {
                ArrayNode ls = p.putArray("links");
                for (Link l : links) {
                    ObjectNode lo = ls.addObject();
                    lo.put("title", l.title());
                    lo.put("url", l.url());
                    if (l.targetBlank()) {
                        lo.put("targetBlank", true);
                    }
                }
            }
            ArrayNode ts = p.putArray("targets");
            char ref = 'A';
            for (Target t : targets) {
                ObjectNode to = ts.addObject();
                to.put("refId", String.valueOf(ref++));
                to.set("datasource", datasourceRef());
                to.put("editorMode", "code");
                to.put("expr", t.expr());
                to.put("legendFormat", t.legend());
                to.put("range", !t.instant());
                to.put("instant", t.instant());
                to.put("format", t.format());
            }
            return p;
        }

        private String defaultColorMode() {
            return switch (type) {
                case "timeseries", "piechart" -> "palette-classic";
                case "heatmap" -> "continuous-GrYlRd";
                default -> "thresholds";
            };
        }

        private ObjectNode defaultCustom() {
            ObjectNode c = F.objectNode();
            if (type.equals("timeseries")) {
                c.put("drawStyle", "line");
                c.put("lineWidth", 1);
                c.put("fillOpacity", 10);
                c.put("gradientMode", "none");
                c.put("showPoints", "never");
                c.put("spanNulls", false);
                c.put("axisPlacement", "auto");
                c.putObject("stacking").put("mode", "none").put("group", "A");
                c.putObject("thresholdsStyle").put("mode", thresholdStyle);
            } else if (type.equals("table")) {
                c.put("align", "auto");
                c.putObject("cellOptions").put("type", "color-text");
            }
            return c;
        }

        private ObjectNode defaultOptions() {
            ObjectNode o = F.objectNode();
            ObjectNode reduce = F.objectNode();
            reduce.putArray("calcs").add("lastNotNull");
            reduce.put("fields", "");
            reduce.put("values", false);
            switch (type) {
                case "timeseries" -> {
                    ObjectNode legend = o.putObject("legend");
                    legend.put("displayMode", "table");
                    legend.put("placement", "bottom");
                    legend.put("showLegend", true);
                    legend.putArray("calcs").add("lastNotNull").add("mean").add("max");
                    o.putObject("tooltip").put("mode", "multi").put("sort", "desc");
                }
                case "stat" -> {
                    o.set("reduceOptions", reduce);
                    o.put("colorMode", "background");
                    o.put("graphMode", "area");
                    o.put("justifyMode", "auto");
                    o.put("orientation", "auto");
                    o.put("textMode", "auto");
                    o.put("wideLayout", true);
                    o.put("showPercentChange", false);
                }
                case "gauge" -> {
                    o.set("reduceOptions", reduce);
                    o.put("orientation", "auto");
                    o.put("showThresholdLabels", false);
                    o.put("showThresholdMarkers", true);
                }
                case "bargauge" -> {
                    o.set("reduceOptions", reduce);
                    o.put("displayMode", "gradient");
                    o.put("orientation", "horizontal");
                    o.put("showUnfilled", true);
                    o.put("valueMode", "color");
                    o.put("namePlacement", "auto");
                    o.put("sizing", "auto");
                    o.put("minVizWidth", 8);
                    o.put("minVizHeight", 16);
                }
                case "piechart" -> {
                    o.set("reduceOptions", reduce);
                    o.put("pieType", "donut");
                    ObjectNode legend = o.putObject("legend");
                    legend.put("displayMode", "table");
                    legend.put("placement", "right");
                    legend.put("showLegend", true);
                    legend.putArray("values").add("percent").add("value");
                    o.putObject("tooltip").put("mode", "single").put("sort", "none");
                }
                case "heatmap" -> {
                    o.put("calculate", false);
                    o.put("cellGap", 1);
                    ObjectNode colour = o.putObject("color");
                    colour.put("mode", "scheme");
                    colour.put("scheme", "RdYlGn");
                    colour.put("reverse", true);
                    colour.put("steps", 64);
                    colour.put("exponent", 0.5);
                    colour.put("fill", "dark-orange");
                    o.putObject("rowsFrame").put("layout", "auto");
                    o.putObject("legend").put("show", true);
                    o.putObject("tooltip").put("mode", "single").put("yHistogram", false).put("show", true);
                    o.putObject("yAxis").put("axisPlacement", "left").put("reverse", false);
                    o.putObject("cellValues").put("unit", unit);
                    o.putObject("exemplars").put("color", "rgba(255,0,255,0.7)");
                }
                case "table" -> {
                    o.put("showHeader", true);
                    o.put("cellHeight", "sm");
                    o.putObject("footer").put("show", false).putArray("reducer").add("sum");
                }
                default -> { }
            }
            return o;
        }
    }

    /** An insertion-ordered map (Map.of iterates in a per-JVM random order: the JSON must be stable). */
    static Map<String, Object> map(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    static Map<String, String> fixed(String colour) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("mode", "fixed");
        m.put("fixedColor", colour);
        return m;
    }

    /** A dashboard with auto layout. */
    static final class Dashboard {
        final String uid;
        final String title;
        final String description;
        final List<String> tags = new ArrayList<>();
        String from = "now-6h";
        final ArrayNode variables = F.arrayNode();
        final ArrayNode links = F.arrayNode();
        final ArrayNode annotations = F.arrayNode();
        final List<Panel> panels = new ArrayList<>();

        Dashboard(String uid, String title, String description, String... tags) {
            this.uid = uid;
            this.title = title;
            this.description = description;
            this.tags.addAll(List.of(tags));
        }

        String slug() {
            return title.toLowerCase().replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
        }

        String path() {
            return "/d/" + uid + "/" + slug();
        }

        Dashboard timeRange(String relativeFrom) { this.from = relativeFrom; return this; }

        Panel add(Panel p) { panels.add(p); return p; }

        Dashboard row(String title) { panels.add(new Panel("row", title).size(24, 1)); return this; }

        /** The panel's id in the rendered dashboard (declaration order, rows included). */
        int idOf(Panel p) {
            int i = panels.indexOf(p);
            if (i < 0) {
                throw new IllegalArgumentException(p.title);
            }
            return i + 1;
        }

        ObjectNode json() {
            ObjectNode d = F.objectNode();
            ObjectNode ann = d.putObject("annotations");
            ArrayNode list = ann.putArray("list");
            ObjectNode builtin = list.addObject();
            builtin.put("builtIn", 1);
            builtin.putObject("datasource").put("type", "grafana").put("uid", "-- Grafana --");
            builtin.put("enable", true);
            builtin.put("hide", true);
            builtin.put("iconColor", "rgba(0, 211, 255, 1)");
            builtin.put("name", "Annotations & Alerts");
            builtin.put("type", "dashboard");
            list.addAll(annotations);
            d.put("description", description);
            d.put("editable", true);
            d.put("fiscalYearStartMonth", 0);
            d.put("graphTooltip", 1);
            d.putNull("id");
            d.set("links", links);
            d.put("liveNow", false);
            ArrayNode ps = d.putArray("panels");
            int x = 0;
            int y = 0;
            int lineHeight = 0;
            int id = 1;
            for (Panel p : panels) {
                if (p.isRow() || x + p.w > 24) {
                    y += lineHeight;
                    x = 0;
                    lineHeight = 0;
                }
                ps.add(p.json(id++, x, y));
                if (p.isRow()) {
                    y += p.h;
                } else {
                    x += p.w;
                    lineHeight = Math.max(lineHeight, p.h);
                }
            }
            d.put("refresh", "30s");
            d.put("schemaVersion", SCHEMA_VERSION);
            ArrayNode t = d.putArray("tags");
            tags.forEach(t::add);
            d.putObject("templating").set("list", variables);
            d.putObject("time").put("from", from).put("to", "now");
            ObjectNode picker = d.putObject("timepicker");
            ArrayNode ri = picker.putArray("refresh_intervals");
            for (String r : List.of("30s", "1m", "5m", "15m", "1h")) {
                ri.add(r);
            }
            d.put("timezone", "browser");
            d.put("title", title);
            d.put("uid", uid);
            d.put("version", 1);
            d.put("weekStart", "");
            return d;
        }

        // --- variables -------------------------------------------------------------------

        Dashboard datasourceVariable() {
            ObjectNode v = variables.addObject();
            v.putObject("current");
            v.put("hide", 0);
            v.put("includeAll", false);
            v.put("label", "Data source");
            v.put("multi", false);
            v.put("name", "datasource");
            v.putArray("options");
            v.put("query", "prometheus");
            v.put("refresh", 1);
            v.put("regex", "");
            v.put("type", "datasource");
            return this;
        }

        /** A multi-value query variable over label_values(...), "All" meaning ".*". */
        Dashboard queryVariable(String name, String label, String labelValuesQuery) {
            ObjectNode v = variables.addObject();
            v.put("allValue", ".*");
            ObjectNode current = v.putObject("current");
            current.put("selected", true);
            current.putArray("text").add("All");
            current.putArray("value").add("$__all");
            v.set("datasource", datasourceRef());
            v.put("definition", labelValuesQuery);
            v.put("hide", 0);
            v.put("includeAll", true);
            v.put("label", label);
            v.put("multi", true);
            v.put("name", name);
            v.putArray("options");
            v.putObject("query").put("qryType", 1).put("query", labelValuesQuery)
                    .put("refId", "PrometheusVariableQueryEditor-VariableQuery");
            v.put("refresh", 2);
            v.put("regex", "");
            v.put("skipUrlSync", false);
            v.put("sort", 1);
            v.put("type", "query");
            return this;
        }

        /** A single-value custom variable: options are "text : value" pairs, the first is the default. */
        Dashboard customVariable(String name, String label, String description, String... textValue) {
            ObjectNode v = variables.addObject();
            StringBuilder q = new StringBuilder();
            ArrayNode opts = F.arrayNode();
            for (int i = 0; i < textValue.length; i += 2) {
                if (q.length() > 0) {
                    q.append(", ");
                }
                q.append(textValue[i]).append(" : ").append(textValue[i + 1]);
                ObjectNode o = opts.addObject();
                o.put("selected", i == 0);
                o.put("text", textValue[i]);
                o.put("value", textValue[i + 1]);
            }
            ObjectNode current = v.putObject("current");
            current.put("selected", true);
            current.put("text", textValue[0]);
            current.put("value", textValue[1]);
            v.put("description", description);
            v.put("hide", 0);
            v.put("includeAll", false);
            v.put("label", label);
            v.put("multi", false);
            v.put("name", name);
            v.set("options", opts);
            v.put("query", q.toString());
            v.put("skipUrlSync", false);
            v.put("type", "custom");
            return this;
        }

        /** A hidden constant (set it at import time). */
        Dashboard constant(String name, String description, String value) {
            ObjectNode v = variables.addObject();
            v.put("description", description);
            v.put("hide", 2);
            v.put("label", name);
            v.put("name", name);
            v.put("query", value);
            v.put("skipUrlSync", false);
            v.put("type", "constant");
            ObjectNode current = v.putObject("current");
            current.put("text", value);
            current.put("value", value);
            return this;
        }

        // --- links and annotations -------------------------------------------------------

        /** Dropdown of every dashboard carrying the tag, keeping time range and variables. */
        Dashboard tagLinks(String tag, String title) {
            ObjectNode l = dashboardLink(true, "external link", title, "dashboards");
            ((ArrayNode) l.get("tags")).add(tag);
            return this;
        }

        Dashboard link(String title, String url, String tooltip) {
            ObjectNode l = dashboardLink(false, "dashboard", title, "link");
            l.put("tooltip", tooltip);
            l.put("url", url);
            return this;
        }

        private ObjectNode dashboardLink(boolean dropdown, String icon, String title, String type) {
            ObjectNode l = links.addObject();
            l.put("asDropdown", dropdown);
            l.put("icon", icon);
            l.put("includeVars", true);
            l.put("keepTime", true);
            l.putArray("tags");
            l.put("targetBlank", false);
            l.put("title", title);
            l.put("type", type);
            return l;
        }

        /** Marks on every time series where an alert of this severity was firing. */
        Dashboard alertAnnotation(String severity, String colour) {
            ObjectNode a = annotations.addObject();
            a.set("datasource", datasourceRef());
            a.put("enable", true);
            a.put("expr", "ALERTS{alertstate=\"firing\", severity=\"" + severity + "\"}");
            a.put("hide", false);
            a.put("iconColor", colour);
            a.put("name", severity + " alerts firing");
            a.put("step", "60s");
            a.put("tagKeys", "alertname,component");
            a.put("textFormat", "{{alertname}}");
            a.put("titleFormat", "{{alertname}} ({{severity}})");
            a.put("useValueForTime", false);
            return this;
        }
    }

    static String render(JsonNode node) throws Exception {
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node).replace("\r\n", "\n") + "\n";
    }
}
