package dev.yawlmetrics.bench.harness;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * How a forked JVM is monitored: not at all, by our agent, by the OpenTelemetry javaagent or by
 * the Prometheus jmx_exporter javaagent. Jar locations come from system properties set by
 * bench/run.sh; a variant whose jar is missing is reported as not run, never silently dropped.
 */
public enum Variant {
    PLAIN("plain JVM", null),
    YAWL("yawl-metrics-agent", "bench.agent.jar"),
    OTEL("OpenTelemetry javaagent 2.21.0", "bench.otel.jar"),
    JMX("jmx_exporter javaagent 1.0.1", "bench.jmx.jar");

    public final String title;
    private final String jarProperty;

    Variant(String title, String jarProperty) {
        this.title = title;
        this.jarProperty = jarProperty;
    }

    public Path jar() {
        if (jarProperty == null) {
            return null;
        }
        String p = System.getProperty(jarProperty);
        return p == null || p.isBlank() ? null : Paths.get(p).toAbsolutePath();
    }

    public boolean available() {
        return this == PLAIN || (jar() != null && Files.isRegularFile(jar()));
    }

    /** Why this variant cannot run here, or null. */
    public String unavailableReason() {
        return available() ? null : "jar not found (-D" + jarProperty + "=" + System.getProperty(jarProperty) + ")";
    }

    public boolean hasEndpoint() {
        return this != PLAIN;
    }

    /** JVM arguments that attach this variant with its metrics endpoint on 127.0.0.1:port. */
    public List<String> jvmArgs(int port) {
        List<String> args = new ArrayList<>();
        switch (this) {
            case PLAIN -> {
                // -Dbench.plain.javaagent=empty: the plain fork gets a -javaagent that does nothing
                // (the JVMTI baseline), so a comparison isolates the agent's own work.
                if (emptyAgentInPlain()) {
                    args.add("-javaagent:" + EmptyAgent.jar());
                }
            }
            case YAWL -> {
                // -Dbench.yawl.javaagent=empty: the agent fork runs the do-nothing agent instead of
                // ours, so that a plain / empty comparison prices what any -javaagent costs the JVM.
                if (emptyAgentInYawl()) {
                    args.add("-javaagent:" + EmptyAgent.jar());
                    break;
                }
                // -Dbench.yawl.args=httpclient.enabled=false,...: more agent arguments, for ablations
                // (which instrumentation costs what) without another variant.
                String more = System.getProperty("bench.yawl.args", "");
                args.add("-javaagent:" + jar() + "=port=" + port + ",host=127.0.0.1" + (more.isBlank() ? "" : "," + more));
                // Tells the host where our endpoint will be (read by dev.yawlmetrics.bench.fleet.AgentPort).
                args.add("-D" + "bench.yawl.port=" + port);
            }
            case OTEL -> {
                args.add("-javaagent:" + jar());
                // What a Prometheus user would configure: a pull endpoint, no trace/log export.
                args.add("-Dotel.traces.exporter=none");
                args.add("-Dotel.logs.exporter=none");
                args.add("-Dotel.metrics.exporter=prometheus");
                args.add("-Dotel.exporter.prometheus.host=127.0.0.1");
                args.add("-Dotel.exporter.prometheus.port=" + port);
            }
            case JMX -> {
                String config = System.getProperty("bench.jmx.config");
                if (config == null) {
                    throw new IllegalStateException("-Dbench.jmx.config is not set");
                }
                args.add("-javaagent:" + jar() + "=127.0.0.1:" + port + ":" + Paths.get(config).toAbsolutePath());
            }
        }
        return args;
    }

    /** True when {@code -Dbench.plain.javaagent=empty} is set; any other value is an error, not ignored. */
    public static boolean emptyAgentInPlain() {
        return emptyAgent("bench.plain.javaagent");
    }

    /** True when {@code -Dbench.yawl.javaagent=empty} is set: the agent fork runs the empty agent, not ours. */
    public static boolean emptyAgentInYawl() {
        return emptyAgent("bench.yawl.javaagent");
    }

    private static boolean emptyAgent(String property) {
        String v = System.getProperty(property, "");
        if (v.isBlank()) {
            return false;
        }
        if (!v.equals("empty")) {
            throw new IllegalArgumentException("-D" + property + "=" + v + ": the only accepted value is 'empty'");
        }
        return true;
    }

    public String metricsUrl(int port) {
        return "http://127.0.0.1:" + port + "/metrics";
    }

    public static List<Variant> parse(String csv) {
        List<Variant> out = new ArrayList<>();
        for (String s : csv.split(",")) {
            if (!s.isBlank()) {
                out.add(valueOf(s.trim().toUpperCase(java.util.Locale.ROOT)));
            }
        }
        return out;
    }
}
