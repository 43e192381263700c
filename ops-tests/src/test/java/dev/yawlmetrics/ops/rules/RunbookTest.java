package dev.yawlmetrics.ops.rules;

import dev.yawlmetrics.testsupport.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/runbooks.md: one section per alert, and every ```promql snippet parsed by promtool and linted. */
class RunbookTest {

    @Test
    void oneSectionPerAlertAndNothingElse() {
        Set<String> alerts = new TreeSet<>(OpsFiles.alerts().stream().map(OpsFiles.Rule::name).toList());
        assertEquals(alerts, new TreeSet<>(OpsFiles.runbookHeadings()));
    }

    @Test
    void everySectionHasAtLeastOneCheckedQuery() {
        String text = OpsFiles.read(OpsFiles.runbooks());
        List<String> without = new ArrayList<>();
        String[] sections = text.split("\n## ");
        for (int i = 1; i < sections.length; i++) {
            if (!sections[i].contains("```promql")) {
                without.add(sections[i].lines().findFirst().orElse(""));
            }
        }
        assertEquals(List.of(), without);
    }

    /** promtool parses each snippet as the expression of a recording rule in a throw-away rule file. */
    @Test
    void everySnippetParses(@TempDir Path dir) throws Exception {
        Path promtool = Tools.require("promtool", "prometheus");
        List<String> snippets = OpsFiles.runbookSnippets();
        assertTrue(snippets.size() >= 40, "snippets found: " + snippets.size());
        StringBuilder yaml = new StringBuilder("groups:\n  - name: runbook-snippets\n    rules:\n");
        for (int i = 0; i < snippets.size(); i++) {
            yaml.append("      - record: runbook:snippet_").append(i).append("\n        expr: |\n");
            for (String line : snippets.get(i).split("\n")) {
                yaml.append("          ").append(line).append('\n');
            }
        }
        Path file = dir.resolve("snippets.yml");
        Files.writeString(file, yaml);
        Cmd r = Cmd.run(dir, promtool, "check", "rules", file);
        assertTrue(r.ok(), r.output() + "\n" + yaml);
        assertTrue(r.output().contains("SUCCESS: " + snippets.size() + " rules found"), r.output());
    }

    @Test
    void everySnippetPassesTheLinter() {
        long min = RuleFilesTest.minWindowSeconds();
        List<String> problems = new ArrayList<>();
        for (String s : OpsFiles.runbookSnippets()) {
            for (String p : PromQl.problems(s, false, min)) {
                problems.add(p + " in: " + s);
            }
        }
        assertEquals(List.of(), problems);
    }

    /** Recorded series (names with ':') that runbooks, rules or dashboards read must be recorded by recording.yml. */
    @Test
    void recordedSeriesThatAreReadAreRecorded() {
        Set<String> recorded = new TreeSet<>(OpsFiles.recordings().stream().map(OpsFiles.Rule::name).toList());
        Set<String> missing = new TreeSet<>();
        List<String> exprs = new ArrayList<>(OpsFiles.runbookSnippets());
        OpsFiles.rules().forEach(r -> exprs.add(r.expr()));
        exprs.addAll(OpsFiles.dashboardExprs());
        for (String e : exprs) {
            for (String n : PromQl.metricNames(e)) {
                if (n.contains(":") && !recorded.contains(n)) {
                    missing.add(n);
                }
            }
        }
        assertEquals(Set.of(), missing);
    }
}
