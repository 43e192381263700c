package dev.yawlmetrics.demo;

import dev.yawlmetrics.testsupport.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The demo's HTML report opened in a real headless Chromium (Debian package {@code chromium}),
 * offline: a screenshot with drawn pixels, every chart with drawn geometry (the page's own
 * script counts SVG charts whose data group has a non-empty bounding box), no console message.
 */
class ReportInChromiumTest {

    static List<Progress.Tick> run() {
        List<Progress.Tick> ticks = new ArrayList<>();
        for (int i = 1; i <= 24; i++) {
            long t = 5L * i;
            double completed = Math.min(400, 40.0 * i);
            double late = Math.max(0, (t - 30) * 900.0);
            List<String> pending = t >= 40 && t < 100 ? List.of("HeartbeatRenewalLate") : List.of();
            List<String> firing = t >= 100 ? List.of("HeartbeatRenewalLate") : List.of();
            ticks.add(new Progress.Tick(t, completed, 1000, 10_000, late / 2, late * 0.9, late, 1.0, 0,
                    Map.of("DISCOVERING", 150.0, "ACTING", 50.0), Map.of("0", 120.0, "3", 80.0 - i), 80 - i,
                    pending, firing));
        }
        return ticks;
    }

    @Test
    void theReportRendersEveryChartInHeadlessChromiumWithoutConsoleMessages(@TempDir Path dir) throws Exception {
        Path chromium = Tools.require("chromium", "chromium");
        Path html = Report.write(dir.resolve("report.html"), "demo: saturation", List.of("a test run"), run());
        String page = Files.readString(html);
        assertTrue(!page.contains("src=") && !page.contains("<link") && !page.contains("@import") && !page.contains("url("),
                "the report loads nothing: no script, style sheet, font or image from elsewhere");

        Path png = dir.resolve("shot.png");
        Result shot = chromium(chromium, dir.resolve("profile-1"), "--window-size=1000,2400", "--screenshot=" + png, html.toUri().toString());
        assertTrue(Files.size(png) > 10_000, "screenshot written: " + shot.stderr);
        BufferedImage image = ImageIO.read(png.toFile());
        int coloured = 0;
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                int rgb = image.getRGB(x, y);
                int r = (rgb >> 16) & 0xff, g = (rgb >> 8) & 0xff, b = rgb & 0xff;
                if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 80) {
                    coloured++; // a series line or an alert bar, not grey axes or text
                }
            }
        }
        assertTrue(coloured > 2_000, "coloured pixels in the screenshot: " + coloured);

        Result dom = chromium(chromium, dir.resolve("profile-2"), "--enable-logging=stderr", "--v=0", "--dump-dom", html.toUri().toString());
        assertTrue(dom.stdout.contains("data-charts-rendered=\"" + Report.CHARTS + "\""),
                "every chart drew something: " + dom.stdout.lines().filter(l -> l.contains("<body")).findFirst().orElse(dom.stdout));
        List<String> console = dom.stderr.lines().filter(l -> l.contains("CONSOLE")).toList();
        assertEquals(List.of(), console, "console messages of the report");
    }

    record Result(String stdout, String stderr) {}

    static Result chromium(Path chromium, Path profile, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(profile.getParent(), "out", ".txt");
        Path err = Files.createTempFile(profile.getParent(), "err", ".txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish in 90 s: " + Files.readString(err));
        }
        return new Result(Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}
