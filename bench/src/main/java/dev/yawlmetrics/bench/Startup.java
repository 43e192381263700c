package dev.yawlmetrics.bench;

import dev.yawlmetrics.bench.fleet.Populations;
import dev.yawlmetrics.bench.harness.Forks;
import dev.yawlmetrics.bench.harness.Stats;
import dev.yawlmetrics.bench.harness.Variant;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Start-to-exit of the YAWL-shaped app ({@code BenchHost startup}) per monitoring variant, under
 * {@code /usr/bin/time -v}: wall, CPU (user + sys) and peak RSS, variants alternating in each round
 * (rotated start), medians with min-max and ratios to plain.
 *
 * <p>Usage: {@code java -Dbench.agent.jar=.. [-Dbench.otel.jar=.. -Dbench.jmx.jar=.. -Dbench.jmx.config=..]
 * -cp benchmarks.jar dev.yawlmetrics.bench.Startup [--smoke] [--rounds N] [--variants plain,yawl,otel,jmx] [--out f.md]}
 */
public final class Startup {
    static final String TIME = "/usr/bin/time";

    record Sample(double wallS, double cpuS, double rssMiB) {}

    public static void main(String[] args) throws Exception {
        boolean smoke = Forks.smoke(args);
        int rounds = Integer.parseInt(Forks.option(args, "--rounds", smoke ? "1" : "10"));
        List<Variant> requested = Variant.parse(Forks.option(args, "--variants", smoke ? "plain,yawl" : "plain,yawl,otel,jmx"));
        Path out = Forks.resultsFile(args, "startup.md");
        if (!Files.isExecutable(Path.of(TIME))) {
            throw new IllegalStateException(TIME + " is missing (Debian package 'time')");
        }
        List<Variant> variants = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (Variant v : requested) {
            if (v.available()) {
                variants.add(v);
            } else {
                skipped.add(v.title + ": " + v.unavailableReason());
            }
        }
        if (!variants.contains(Variant.PLAIN) || !variants.contains(Variant.YAWL)) {
            throw new IllegalStateException("plain and yawl variants are required; skipped: " + skipped);
        }
        List<String> jvmArgs = List.of("-Xmx512m");
        Map<Variant, List<Sample>> samples = new EnumMap<>(Variant.class);
        String exampleCommand = null;
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < variants.size(); i++) {
                Variant v = variants.get((i + r) % variants.size());
                List<String> cmd = Forks.hostCommand(v, Forks.freePort(), jvmArgs, "startup");
                if (v == Variant.YAWL && exampleCommand == null) {
                    exampleCommand = String.join(" ", cmd);
                }
                Sample s = runOnce(cmd, v);
                System.out.printf("[startup] round %d %-32s wall %.3f s cpu %.3f s rss %.1f MiB%n", r + 1, v.title, s.wallS, s.cpuS, s.rssMiB);
                samples.computeIfAbsent(v, x -> new ArrayList<>()).add(s);
            }
        }
        String report = report(samples, rounds, skipped, exampleCommand);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, report);
        System.out.println(report);
    }

    static Sample runOnce(List<String> javaCmd, Variant v) throws Exception {
        Path stats = Files.createTempFile("bench-time", ".txt");
        Path log = Files.createTempFile("bench-startup", ".log");
        try {
            List<String> cmd = new ArrayList<>(List.of(TIME, "-v", "-o", stats.toString()));
            cmd.addAll(javaCmd);
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                // /usr/bin/time does not pass a kill on to the JVM it runs: end the JVM first.
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new IllegalStateException(v.title + ": startup app did not exit within 120 s:\n" + Files.readString(log));
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            if (p.exitValue() != 0 || !output.contains("STARTUP-OK")) {
                throw new IllegalStateException(v.title + ": startup app failed (exit " + p.exitValue() + "):\n" + output);
            }
            if (v == Variant.YAWL && !output.contains("yawl-endpoint=true")) {
                throw new IllegalStateException("our agent was attached but its endpoint did not come up:\n" + output);
            }
            String t = Files.readString(stats, StandardCharsets.UTF_8);
            return new Sample(wall(t), num(t, "User time \\(seconds\\): ([0-9.]+)") + num(t, "System time \\(seconds\\): ([0-9.]+)"),
                    num(t, "Maximum resident set size \\(kbytes\\): ([0-9]+)") / 1024.0);
        } finally {
            Files.deleteIfExists(stats);
            Files.deleteIfExists(log);
        }
    }

    static double num(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("no '" + regex + "' in time -v output:\n" + text);
        }
        return Double.parseDouble(m.group(1));
    }

    /** "Elapsed (wall clock) time (h:mm:ss or m:ss): 0:01.23" or "1:02:03". */
    static double wall(String text) {
        Matcher m = Pattern.compile("Elapsed \\(wall clock\\) time .*?: ([0-9:.]+)").matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("no wall time in time -v output:\n" + text);
        }
        double seconds = 0;
        for (String part : m.group(1).split(":")) {
            seconds = seconds * 60 + Double.parseDouble(part);
        }
        return seconds;
    }

    static String report(Map<Variant, List<Sample>> samples, int rounds, List<String> skipped, String command) {
        StringBuilder sb = new StringBuilder("## 2. Startup: start-to-exit of the YAWL-shaped app\n\n");
        sb.append("App: `BenchHost startup` loads every instrumented fixture class (").append(Populations.names())
          .append("), exercises each instrumented call, and with our agent waits until the agent's endpoint is bound ")
          .append("(so our background start-up is counted). ").append(rounds)
          .append(" rounds, variants alternating with a rotated start; `/usr/bin/time -v`; CPU = user + sys.\n");
        if (command != null) {
            sb.append("Our variant's command: `").append(command.replaceAll("\\S*/(\\S+\\.jar)", ".../$1")).append("`\n");
        }
        sb.append("\n| variant | wall s | CPU s | peak RSS MiB | wall vs plain | added wall s | added RSS MiB |\n|---|---|---|---|---|---|---|\n");
        Stats plainWall = wallStats(samples.get(Variant.PLAIN));
        Stats plainRss = rssStats(samples.get(Variant.PLAIN));
        Map<Variant, Double> addedWall = new EnumMap<>(Variant.class);
        for (Map.Entry<Variant, List<Sample>> e : samples.entrySet()) {
            Stats w = wallStats(e.getValue());
            Stats c = new Stats(e.getValue().stream().map(Sample::cpuS).toList());
            Stats r = rssStats(e.getValue());
            double added = w.median() - plainWall.median();
            addedWall.put(e.getKey(), added);
            sb.append("| ").append(e.getKey().title).append(" | ").append(w.summary("%.3f")).append(" | ")
              .append(c.summary("%.3f")).append(" | ").append(r.summary("%.1f")).append(" | ")
              .append(Stats.fmt("%.2f", w.median() / plainWall.median())).append("x | ")
              .append(Stats.fmt("%+.3f", added)).append(" | ")
              .append(Stats.fmt("%+.1f", r.median() - plainRss.median())).append(" |\n");
        }
        Double ours = addedWall.get(Variant.YAWL);
        sb.append("\nTargets: our agent ≤ +0.3 s wall and ≤ +40 MiB peak RSS over plain; added wall at least 2.5x less than jmx_exporter and 10x less than OpenTelemetry.\n");
        for (Variant other : List.of(Variant.JMX, Variant.OTEL)) {
            if (addedWall.containsKey(other) && ours != null) {
                sb.append("- added wall, ").append(other.title).append(" / ours = ")
                  .append(ours <= 0 ? "n/a (ours ≤ 0)" : Stats.fmt("%.1f", addedWall.get(other) / ours) + "x").append("\n");
            }
        }
        for (String s : skipped) {
            sb.append("- not run: ").append(s).append("\n");
        }
        return sb.append("\n").toString();
    }

    static Stats wallStats(List<Sample> s) {
        return new Stats(s.stream().map(Sample::wallS).toList());
    }

    static Stats rssStats(List<Sample> s) {
        return new Stats(s.stream().map(Sample::rssMiB).toList());
    }
}
