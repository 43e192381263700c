package dev.yawlmetrics.ops.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * dashboards/*.json is generated from {@link YawlDashboards}; this test fails when the committed
 * files differ from what the generator produces. Regenerate with
 * {@code mvn -B -q verify -pl ops-tests -am -Dtest=DashboardsUpToDateTest -Dsurefire.failIfNoSpecifiedTests=false -Ddashboards.update=true}.
 */
class DashboardsUpToDateTest {
    static final boolean UPDATE = Boolean.getBoolean("dashboards.update");

    @Test
    void committedJsonMatchesTheGenerator() throws Exception {
        List<String> stale = new ArrayList<>();
        Set<String> expected = new TreeSet<>();
        for (Grafana.Dashboard d : YawlDashboards.all()) {
            Path file = DashboardFiles.fileOf(d.uid);
            expected.add(file.getFileName().toString());
            String generated = Grafana.render(d.json());
            String committed = Files.exists(file) ? Files.readString(file) : "";
            if (!generated.equals(committed)) {
                if (UPDATE) {
                    Files.createDirectories(file.getParent());
                    Files.writeString(file, generated);
                } else {
                    stale.add(file.toString());
                }
            }
        }
        assertTrue(stale.isEmpty(), "dashboards out of date with YawlDashboards (regenerate with -Ddashboards.update=true): " + stale);
        Set<String> present = new TreeSet<>();
        try (var files = Files.list(DashboardFiles.dir())) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).forEach(present::add);
        }
        assertEquals(expected, present, "dashboards/ holds exactly the generated dashboards");
    }

    /** The generated half of dashboards/README.md (between the markers) matches the definitions. */
    @Test
    void readmeMatchesTheGenerator() throws Exception {
        Path readme = DashboardFiles.dir().resolve("README.md");
        String text = Files.exists(readme) ? Files.readString(readme) : "";
        String generated = DashboardReadme.generated(YawlDashboards.all());
        int begin = text.indexOf(DashboardReadme.BEGIN);
        String current = begin < 0 ? "" : text.substring(begin);
        if (!current.equals(generated)) {
            if (UPDATE) {
                Files.writeString(readme, (begin < 0 ? text : text.substring(0, begin)) + generated);
                return;
            }
        }
        assertEquals(generated, current, "dashboards/README.md generated part is out of date (regenerate with -Ddashboards.update=true)");
    }

    @Test
    void sixDashboardsWithStableUids() {
        List<String> uids = YawlDashboards.all().stream().map(d -> d.uid).toList();
        assertEquals(List.of("yawl-overview", "yawl-heartbeat", "yawl-marketplace", "yawl-jvm", "yawl-etcd", "yawl-kubernetes"), uids);
        for (JsonNode d : DashboardFiles.load().values()) {
            assertTrue(uids.contains(d.path("uid").asText()), d.path("uid").asText());
        }
    }
}
