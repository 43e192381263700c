package dev.yawlmetrics.ops.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The committed JSON is importable: valid, uniquely identified, typed, laid out on the grid. */
class DashboardStructureTest {
    static final Set<String> MODERN_TYPES = Set.of("row", "timeseries", "stat", "gauge", "heatmap", "table", "bargauge", "piechart");

    @Test
    void sixValidDashboardsWithUniqueUidsAndTitles() {
        Map<String, JsonNode> all = DashboardFiles.load();
        assertEquals(6, all.size(), "six dashboards");
        Set<String> uids = new HashSet<>();
        Set<String> titles = new HashSet<>();
        for (var e : all.entrySet()) {
            JsonNode d = e.getValue();
            assertEquals(e.getKey(), d.path("uid").asText(), "file name is the uid");
            assertTrue(uids.add(d.path("uid").asText()), "duplicate uid " + d.path("uid"));
            assertTrue(titles.add(d.path("title").asText()), "duplicate title " + d.path("title"));
            assertTrue(d.path("uid").asText().length() <= 40, "Grafana uids are at most 40 characters");
            assertTrue(d.path("id").isNull(), "id must be null so the import creates the dashboard");
            assertTrue(d.path("schemaVersion").asInt() >= 36, "current schema");
            assertEquals("30s", d.path("refresh").asText(), e.getKey() + " refresh");
            String from = d.path("time").path("from").asText();
            assertTrue(from.equals("now-6h") || from.equals("now-24h"), e.getKey() + " range " + from);
            assertTrue(d.path("tags").size() >= 2 && d.path("tags").toString().contains(YawlDashboards.TAG), e.getKey() + " tags");
            assertFalse(d.path("description").asText().isBlank(), e.getKey() + " description");
        }
    }

    @Test
    void everyPanelTypedUniqueAndOnTheGrid() {
        for (var e : DashboardFiles.load().entrySet()) {
            Set<Integer> ids = new HashSet<>();
            List<int[]> boxes = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (JsonNode p : DashboardFiles.panels(e.getValue())) {
                String where = e.getKey() + " panel '" + p.path("title").asText() + "'";
                assertTrue(MODERN_TYPES.contains(p.path("type").asText()), where + " has type " + p.path("type"));
                assertTrue(ids.add(p.path("id").asInt()), where + " duplicate id");
                JsonNode g = p.path("gridPos");
                int x = g.path("x").asInt(-1), y = g.path("y").asInt(-1), w = g.path("w").asInt(0), h = g.path("h").asInt(0);
                assertTrue(x >= 0 && y >= 0 && w > 0 && h > 0 && x + w <= 24, where + " gridPos inside the 24-column grid: " + g);
                for (int i = 0; i < boxes.size(); i++) {
                    int[] b = boxes.get(i);
                    boolean overlap = x < b[0] + b[2] && b[0] < x + w && y < b[1] + b[3] && b[1] < y + h;
                    assertFalse(overlap, where + " overlaps '" + names.get(i) + "'");
                }
                boxes.add(new int[] {x, y, w, h});
                names.add(p.path("title").asText());
            }
        }
    }

    @Test
    void everyTargetUsesTheDatasourceVariable() {
        for (var e : DashboardFiles.load().entrySet()) {
            for (JsonNode p : DashboardFiles.panels(e.getValue())) {
                if (DashboardFiles.isRow(p)) {
                    continue;
                }
                String where = e.getKey() + " panel '" + p.path("title").asText() + "'";
                assertEquals(Grafana.DS_VAR, p.path("datasource").path("uid").asText(), where + " datasource");
                assertTrue(p.path("targets").size() > 0, where + " has targets");
                for (JsonNode t : p.path("targets")) {
                    assertEquals("prometheus", t.path("datasource").path("type").asText(), where);
                    assertEquals(Grafana.DS_VAR, t.path("datasource").path("uid").asText(), where + " target " + t.path("refId"));
                    assertFalse(t.path("expr").asText().isBlank(), where + " empty expr");
                }
            }
            for (JsonNode v : e.getValue().path("templating").path("list")) {
                if (v.path("type").asText().equals("query")) {
                    assertEquals(Grafana.DS_VAR, v.path("datasource").path("uid").asText(), e.getKey() + " variable " + v.path("name"));
                }
            }
        }
    }
}
