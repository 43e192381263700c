package dev.yawlmetrics.ops.dashboards;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * dashboards/*.json and the generated half of dashboards/README.md are what
 * {@link GenerateDashboards} writes from {@link YawlDashboards}; this fails when the committed
 * files differ. Regenerate with {@code mvn -B -q -pl dashboard-generator compile exec:java}.
 */
class DashboardsUpToDateTest {
    static final String COMMAND = "mvn -B -q -pl dashboard-generator compile exec:java";

    static Path dir() {
        return Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize().resolve("dashboards");
    }

    @Test
    void committedFilesMatchTheGenerator() throws Exception {
        List<String> stale = new ArrayList<>();
        for (Map.Entry<Path, String> e : GenerateDashboards.expected(dir()).entrySet()) {
            String committed = Files.exists(e.getKey()) ? Files.readString(e.getKey()) : "";
            if (!e.getValue().equals(committed)) {
                stale.add(e.getKey().getFileName().toString());
            }
        }
        assertEquals(List.of(), stale, "out of date with YawlDashboards; regenerate with " + COMMAND);
    }

    @Test
    void dashboardsHoldsExactlyTheGeneratedDashboards() throws Exception {
        assertEquals(List.of(), GenerateDashboards.staleJson(dir()), "JSON files no dashboard generates; " + COMMAND + " removes them");
    }

    @Test
    void sixDashboardsWithStableUids() {
        List<String> uids = YawlDashboards.all().stream().map(d -> d.uid).toList();
        assertEquals(List.of("yawl-overview", "yawl-heartbeat", "yawl-marketplace", "yawl-jvm", "yawl-etcd", "yawl-kubernetes"), uids);
    }

    /** The generator writes what the test compares: a dashboard edited by hand is put back. */
    @Test
    void generatorRestoresAnEditedDashboard(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Path dashboards = Files.createDirectories(tmp.resolve("dashboards"));
        Files.writeString(dashboards.resolve("README.md"), "# hand-written part\n");
        GenerateDashboards.main(new String[] {tmp.toString()});
        Path overview = dashboards.resolve("yawl-overview.json");
        String generated = Files.readString(overview);
        Files.writeString(overview, generated.replace("\"yawl-overview\"", "\"edited\""));
        Files.writeString(dashboards.resolve("old.json"), "{}");
        GenerateDashboards.main(new String[] {tmp.toString()});
        assertEquals(generated, Files.readString(overview));
        assertEquals(List.of(), GenerateDashboards.staleJson(dashboards));
        String readme = Files.readString(dashboards.resolve("README.md"));
        assertEquals(true, readme.startsWith("# hand-written part\n" + DashboardReadme.BEGIN), readme.substring(0, 80));
    }
}
