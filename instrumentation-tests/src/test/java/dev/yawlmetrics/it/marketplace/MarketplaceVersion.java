package dev.yawlmetrics.it.marketplace;

import dev.yawlmetrics.fixtures.hosts.MarketplaceHost;
import dev.yawlmetrics.testsupport.AgentJvm;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The two shapes of AgentMarketplace (yawl-targets.md §2). The older one is compiled on its own to
 * target/legacy-classes; putting that directory first on the forked JVM's class path makes the
 * JVM load it instead of the newer one in target/classes.
 */
enum MarketplaceVersion {
    OLDER, NEWER;

    AgentJvm.Builder host() {
        AgentJvm.Builder b = AgentJvm.builder(MarketplaceHost.class);
        if (this == OLDER) {
            Path legacy = Paths.get(System.getProperty("fixtures.legacy.classes", "target/legacy-classes")).toAbsolutePath();
            if (!Files.isDirectory(legacy)) {
                throw new IllegalStateException("older fixture not compiled: " + legacy);
            }
            b.classPath(legacy + File.pathSeparator + AgentJvm.hostClassPath());
        }
        return b;
    }
}
