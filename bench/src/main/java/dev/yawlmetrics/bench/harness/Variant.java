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
                // -Dbench.plain.javaagent=ours: the plain fork runs our agent too (the jar of
                // -Dbench.plain.agent.jar, else the agent fork's; arguments -Dbench.plain.args), a
                // paired A/B of two builds or two configurations in alternating forks, which
                // separate runs against a plain JVM cannot resolve to a microsecond per renewal.
                if (ourAgentInPlain()) {
                    Path jar = baselineAgentJar();
                    if (jar == null || !Files.isRegularFile(jar)) {
                        throw new IllegalArgumentException("-Dbench.plain.javaagent=ours: agent jar not found (" + jar + ")");
                    }
                    args.add("-javaagent:" + jar + "=port=" + port + ",host=127.0.0.1" + moreArgs("bench.plain.args"));
                    args.add("-D" + "bench.yawl.port=" + port);
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
                args.add("-javaagent:" + jar() + "=port=" + port + ",host=127.0.0.1" + moreArgs("bench.yawl.args"));
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

    /** True when {@code -Dbench.plain.javaagent=empty} is set; a value other than empty or ours is an error, not ignored. */
    public static boolean emptyAgentInPlain() {
        return plainAgent().equals("empty");
    }

    /** True when {@code -Dbench.plain.javaagent=ours} is set: the plain fork is a baseline run of our agent. */
    public static boolean ourAgentInPlain() {
        return plainAgent().equals("ours");
    }

    /** The baseline's jar: {@code -Dbench.plain.agent.jar}, else the agent fork's own. */
    public static Path baselineAgentJar() {
        String p = System.getProperty("bench.plain.agent.jar", "");
        return p.isBlank() ? YAWL.jar() : Paths.get(p).toAbsolutePath();
    }

    /** How the report names the baseline when it runs our agent: its jar and arguments. */
    public static String baselineDescription() {
        return describe(baselineAgentJar(), "bench.plain.args");
    }

    /** How the report names our agent in the agent fork: its jar and arguments. */
    public static String agentDescription() {
        return describe(YAWL.jar(), "bench.yawl.args");
    }

    private static String describe(Path jar, String argsProperty) {
        String more = System.getProperty(argsProperty, "");
        return jar + (more.isBlank() ? "" : " with " + more);
    }

    private static String plainAgent() {
        String v = System.getProperty("bench.plain.javaagent", "");
        if (!v.isBlank() && !v.equals("empty") && !v.equals("ours")) {
            throw new IllegalArgumentException("-Dbench.plain.javaagent=" + v + ": the accepted values are 'empty' and 'ours'");
        }
        return v;
    }

    private static String moreArgs(String property) {
        String more = System.getProperty(property, "");
        return more.isBlank() ? "" : "," + more;
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
