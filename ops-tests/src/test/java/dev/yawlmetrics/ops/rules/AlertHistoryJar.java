package dev.yawlmetrics.ops.rules;

import dev.yawlmetrics.testsupport.ExternalProcess;
import dev.yawlmetrics.testsupport.FreePorts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The built alert-history jar, run as the operator runs it: {@code serve} as a server, {@code checklist} as a command. */
final class AlertHistoryJar extends ExternalProcess {
    private final int port = FreePorts.next();

    private AlertHistoryJar() throws IOException {
        super("alert-history");
    }

    static Path jar() {
        Path jar = Path.of(System.getProperty("alert.history.jar", "../alert-history/target/alert-history.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new AssertionError(jar + " is missing: build it first (mvn package -pl alert-history -am)");
        }
        return jar;
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static AlertHistoryJar serve(String jdbcUrl) throws Exception {
        AlertHistoryJar r = new AlertHistoryJar();
        r.launch(List.of(java(), "-Xmx64m", "-jar", jar().toString(), "serve", "--jdbc", jdbcUrl, "--listen", "127.0.0.1:" + r.port));
        r.awaitHttp200(r.url() + "/healthz", Duration.ofSeconds(60));
        return r;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    record Run(int exit, String output) {}

    /** Runs {@code java -jar alert-history.jar checklist ARGS} and returns its exit code and output. */
    static Run checklist(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx64m", "-jar", jar().toString(), "checklist"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("checklist timed out: " + out);
        }
        return new Run(p.exitValue(), out);
    }
}
