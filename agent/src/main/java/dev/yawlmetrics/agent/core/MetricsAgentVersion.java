package dev.yawlmetrics.agent.core;

import java.io.InputStream;
import java.util.Properties;

/** The agent's version, read from a resource filtered by Maven at build time. */
public final class MetricsAgentVersion {
    public static final String VALUE = load();

    private MetricsAgentVersion() {}

    private static String load() {
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
