package dev.yawlmetrics.testsupport;

import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;

/**
 * Finds the real external programs the tests use (etcd, prometheus, promtool, amtool, node
 * exporter). Policy: under {@code CI=true} a missing tool fails the test; on a developer machine
 * (CI unset) the test is skipped and says so loudly on stderr. The README's test command installs
 * them, so a skip should only ever be seen on a machine where that was not possible.
 */
public final class Tools {
    private Tools() {}

    public static Optional<Path> find(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            Path p = Paths.get(dir, name);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        for (String dir : new String[] {"/usr/bin", "/usr/sbin", "/usr/local/bin"}) {
            Path p = Paths.get(dir, name);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    public static boolean underCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /**
     * The tool's path; fails (CI) or skips loudly (not CI) when it is not installed.
     *
     * @param debianPackage the package that provides it, for the message
     */
    public static Path require(String name, String debianPackage) {
        return require(find(name), name, debianPackage);
    }

    /** As {@link #require(String, String)} for a tool found elsewhere than on the PATH. */
    public static Path require(Optional<Path> found, String name, String debianPackage) {
        if (found.isPresent()) {
            return found.get();
        }
        String message = "required tool '" + name + "' is not installed (Debian package " + debianPackage
                + "; `apt-get install -y " + debianPackage + "`)";
        if (underCi()) {
            throw new AssertionError(message + " and CI=true: a missing tool is a failure");
        }
        System.err.println("\n!!!!!!!! SKIPPING: " + message + ". CI is unset, so this test is skipped. !!!!!!!!\n");
        Assumptions.abort("SKIPPED LOUDLY: " + message);
        throw new IllegalStateException("unreachable");
    }
}
