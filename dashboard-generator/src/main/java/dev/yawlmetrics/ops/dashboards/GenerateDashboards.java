package dev.yawlmetrics.ops.dashboards;

import dev.yawlmetrics.ops.dashboards.Grafana.Dashboard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Writes {@code dashboards/*.json} and the generated half of {@code dashboards/README.md} from
 * {@link YawlDashboards}. The one command (from the repository root):
 * {@code mvn -B -q -pl dashboard-generator compile exec:java}. {@code DashboardsUpToDateTest}
 * fails when the committed files differ from what this writes.
 */
public final class GenerateDashboards {
    private GenerateDashboards() {}

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        Path dir = root.resolve("dashboards");
        Files.createDirectories(dir);
        int written = 0;
        for (Map.Entry<Path, String> e : expected(dir).entrySet()) {
            String current = Files.exists(e.getKey()) ? Files.readString(e.getKey()) : null;
            if (!e.getValue().equals(current)) {
                Files.writeString(e.getKey(), e.getValue());
                System.out.println("wrote " + root.relativize(e.getKey()));
                written++;
            }
        }
        for (Path stale : staleJson(dir)) {
            Files.delete(stale);
            System.out.println("removed " + root.relativize(stale) + " (no dashboard of that uid in YawlDashboards)");
        }
        System.out.println(written == 0 ? "dashboards/ already up to date" : written + " file(s) written");
    }

    /** Every generated file with its full content: one JSON per dashboard, and the README. */
    static Map<Path, String> expected(Path dir) throws Exception {
        Map<Path, String> out = new LinkedHashMap<>();
        List<Dashboard> all = YawlDashboards.all();
        for (Dashboard d : all) {
            out.put(fileOf(dir, d.uid), Grafana.render(d.json()));
        }
        Path readme = dir.resolve("README.md");
        String text = Files.exists(readme) ? Files.readString(readme) : "";
        int begin = text.indexOf(DashboardReadme.BEGIN);
        out.put(readme, (begin < 0 ? text : text.substring(0, begin)) + DashboardReadme.generated(all));
        return out;
    }

    /** JSON files in {@code dir} that no dashboard generates. */
    static List<Path> staleJson(Path dir) throws IOException {
        TreeSet<Path> generated = new TreeSet<>();
        for (Dashboard d : YawlDashboards.all()) {
            generated.add(fileOf(dir, d.uid));
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".json") && !generated.contains(p)).sorted().toList();
        }
    }

    static Path fileOf(Path dir, String uid) {
        return dir.resolve(uid + ".json");
    }
}
