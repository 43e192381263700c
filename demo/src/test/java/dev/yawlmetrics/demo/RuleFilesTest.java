package dev.yawlmetrics.demo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RuleFilesTest {
    @Test
    void readsOnlyTheRuleFilesBlock() {
        List<String> lines = List.of(
                "global:",
                "  scrape_interval: 15s",
                "rule_files:",
                "  - 'recording.yml'   # first",
                "  - \"alerts.yml\"",
                "  - plain.yml",
                "scrape_configs:",
                "  - job_name: yawl-engine");
        assertEquals(List.of("recording.yml", "alerts.yml", "plain.yml"), RuleFiles.listed(lines));
    }

    @Test
    void theShippedConfigListsRecordingAndAlertsButNotTheWebConfigExample() throws IOException {
        Path rules = Paths.get("..", "rules");
        List<String> names = RuleFiles.of(rules).stream().map(p -> p.getFileName().toString()).toList();
        assertEquals(List.of("recording.yml", "alerts.yml"), names);
        assertTrue(Files.exists(rules.resolve("web-config.example.yml")), "the file this guards against is still shipped");
    }

    @Test
    void aListedFileThatIsMissingIsAClearError(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("prometheus.yml"), "rule_files:\n  - 'gone.yml'\n");
        IOException e = assertThrows(IOException.class, () -> RuleFiles.of(dir));
        assertTrue(e.getMessage().contains("gone.yml"), e.getMessage());
    }

    @Test
    void noPrometheusConfigMeansNoRules(@TempDir Path dir) throws IOException {
        assertEquals(List.of(), RuleFiles.of(dir));
    }
}
