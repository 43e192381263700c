package dev.yawlmetrics.agent.core;

import java.io.InputStream;
import java.util.Properties;

/**
 * The agent's version: from the jar's manifest (Implementation-Version), which the class loader
 * already read when it defined this package, so premain pays no resource lookup (a first
 * getResourceAsStream on the class path costs ~20 ms of the engine's main thread, most of it URL and
 * jar-connection classes); from a resource filtered by Maven when run from classes (tests).
 */
public final class MetricsAgentVersion {
    public static final String VALUE = load();

    private MetricsAgentVersion() {}

    private static String load() {
        Package pkg = MetricsAgentVersion.class.getPackage();
        String fromManifest = pkg == null ? null : pkg.getImplementationVersion();
        if (fromManifest != null) {
            return fromManifest;
        }
        try (InputStream in = MetricsAgentVersion.class.getResourceAsStream("/dev/yawlmetrics/agent/version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (Exception e) {
            return "unknown";
        }
    }
}
