package dev.yawlmetrics.agent.config;

import java.util.Locale;

/**
 * The instrumentations the agent knows, by the name an operator uses in
 * {@code yawl.instrumentation.<name>.enabled}. This list is closed on purpose: an unknown name in
 * a setting is a typo, and the operator hears about it.
 */
public enum InstrumentationName {
    HEARTBEAT, ETCD, MARKETPLACE, LIFECYCLE, DISCOVERY, HTTPCLIENT, JVM;

    /** The lower-case name used in properties, labels and log lines. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static InstrumentationName fromId(String id) {
        for (InstrumentationName n : values()) {
            if (n.id().equals(id)) {
                return n;
            }
        }
        return null;
    }

    public static String knownIds() {
        StringBuilder sb = new StringBuilder();
        for (InstrumentationName n : values()) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(n.id());
        }
        return sb.toString();
    }
}
