package dev.yawlmetrics.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL (Debian's postgresql package) with a private data directory, a free loopback
 * port and its unix socket inside that directory. {@link #stop()} and {@link #start()} keep the data,
 * so a test can take the database away mid-run and bring it back.
 *
 * <p>PostgreSQL refuses to run as root; as root the server runs as the package's {@code postgres}
 * user through {@code runuser}, which is why the directory is handed to that user.
 */
public final class PostgresServer extends ExternalProcess {
    public static final String USER = "yawl";
    private final Path bin;
    private final int port;
    private final boolean asRoot;

    private PostgresServer(Path bin) throws IOException {
        super("postgres");
        this.bin = bin;
        this.port = FreePorts.next();
        this.asRoot = "root".equals(System.getProperty("user.name"));
    }

    /** initdb + start; fails (CI) or skips loudly (not CI) when PostgreSQL is not installed. */
    public static PostgresServer startNew() throws Exception {
        Path initdb = Tools.require(findBin("initdb"), "initdb (/usr/lib/postgresql/*/bin)", "postgresql");
        PostgresServer pg = new PostgresServer(initdb.getParent());
        try {
            if (pg.asRoot) {
                pg.run(List.of("chown", "-R", "postgres:postgres", pg.dir.toString()), false);
            }
            pg.run(List.of(initdb.toString(), "-D", pg.data().toString(), "-U", USER, "--auth=trust", "-E", "UTF8",
                    "--no-sync", "--no-instructions"), true);
            pg.start();
            return pg;
        } catch (Throwable t) {
            pg.close();
            throw t;
        }
    }

    /** The newest installed major version's bin directory holds the server programs (not on PATH). */
    static Optional<Path> findBin(String program) {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin").resolve(program)).filter(Files::isExecutable)
                    .max(Comparator.comparingInt(p -> majorVersion(p.getParent().getParent())));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static int majorVersion(Path dir) {
        try {
            return Integer.parseInt(dir.getFileName().toString());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private Path data() {
        return dir.resolve("data");
    }

    /** Starts (or restarts) the server on the same port and data; returns when it accepts connections. */
    public void start() throws Exception {
        // fsync off: a test database need not survive a power cut, and fsync is most of a commit's cost here.
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-l", log.toString(), "-w", "-t", "60",
                "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off",
                "start"), true);
    }

    /** Stops the server (fast shutdown: open connections are cut), keeping the data for {@link #start()}. */
    @Override
    public void stop() throws InterruptedException {
        if (running()) {
            try {
                run(List.of(bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-m", "fast", "-w", "-t", "60", "stop"), true);
            } catch (IOException e) {
                throw new IllegalStateException("pg_ctl stop failed: " + e.getMessage() + "\n" + logText(), e);
            }
        }
    }

    /** True while the server's pid file exists (started and not stopped). */
    public boolean running() {
        return Files.exists(data().resolve("postmaster.pid"));
    }

    public int port() {
        return port;
    }

    /** JDBC URL of the {@code postgres} database as the superuser {@value #USER} (trust auth on loopback). */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=" + USER;
    }

    /**
     * Runs one SQL statement through psql (the package's own client, so test-support needs no JDBC
     * driver) and returns the rows, each column as PostgreSQL prints it (NULL as "").
     */
    public List<List<String>> query(String sql) throws IOException, InterruptedException {
        List<String> cmd = List.of(bin.resolve("psql").toString(), "-X", "-q", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1",
                "-h", "127.0.0.1", "-p", String.valueOf(port), "-U", USER, "-d", "postgres", "-c", sql);
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.PIPE).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("psql failed on " + sql + ": " + err);
        }
        List<List<String>> rows = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isEmpty()) {
                rows.add(List.of(line.split("\t", -1)));
            }
        }
        return rows;
    }

    private void run(List<String> command, boolean asPostgres) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        if (asPostgres && asRoot) {
            cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        cmd.addAll(command);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + cmd);
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " exited " + p.exitValue() + ": " + out + "\n" + logText());
        }
    }
}
