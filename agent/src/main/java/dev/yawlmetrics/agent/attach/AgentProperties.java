package dev.yawlmetrics.agent.attach;

import dev.yawlmetrics.agent.core.MetricsAgentLog;

import java.lang.instrument.Instrumentation;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Tells {@code list} and {@code status} (another JVM, through the attach API) whether the agent is
 * attached, on which port, and what it instrumented, without setting a JVM-wide system property
 * of the engine's. The JVM keeps a second map for exactly this, the agent properties
 * ({@code VirtualMachine.getAgentProperties()} on the attaching side, {@code
 * jdk.internal.vm.VMSupport.getAgentProperties()} inside; the JDK's own management agent publishes
 * its connector address there). {@code System.getProperties()} never sees these keys.
 *
 * <p>Reaching that map needs {@code jdk.internal.vm} exported to the agent's module, which
 * {@link Instrumentation#redefineModule} grants (the same way the HTTP client bridge opens
 * {@code jdk.internal.net.http}). If that fails the agent works as before; only {@code status}
 * and {@code list} cannot see it.
 */
public final class AgentProperties {
    public static final String PREFIX = "yawl.metrics.agent.";
    public static final String STATE = PREFIX + "state";
    public static final String MODE = PREFIX + "mode";
    public static final String VERSION = PREFIX + "version";
    public static final String PORT = PREFIX + "port";
    public static final String URL = PREFIX + "url";
    public static final String INSTRUMENTATIONS = PREFIX + "instrumentations";
    public static final String ERRORS = PREFIX + "errors";
    public static final String MESSAGE = PREFIX + "message";
    public static final String DETACH = PREFIX + "detach";

    /** States as published. */
    public static final String STARTING = "starting";
    public static final String ATTACHED = "attached";
    public static final String DETACHING = "detaching";
    public static final String DETACHED = "detached";
    /** Loaded, but yawl.metrics.enabled=false: nothing instrumented, no port; a later attach may turn it on. */
    public static final String DISABLED = "disabled";

    private static volatile Properties target;
    private static volatile boolean failed;

    private AgentProperties() {}

    /** Finds the JVM's agent properties once; false (logged once) when they cannot be reached. */
    static synchronized boolean open(Instrumentation inst) {
        if (target != null) {
            return true;
        }
        if (failed || inst == null) {
            return false;
        }
        try {
            Module javaBase = Object.class.getModule();
            Module agent = AgentProperties.class.getModule();
            if (!javaBase.isExported("jdk.internal.vm", agent)) {
                inst.redefineModule(javaBase, Set.of(), Map.of("jdk.internal.vm", Set.of(agent)), Map.of(), Set.of(), Map.of());
            }
            Class<?> support = Class.forName("jdk.internal.vm.VMSupport");
            target = (Properties) support.getMethod("getAgentProperties").invoke(null);
            return true;
        } catch (Throwable t) {
            failed = true;
            MetricsAgentLog.warn("could not publish the agent's state in the JVM's agent properties; "
                    + "'status' and 'list' will not see this agent: " + t);
            return false;
        }
    }

    static void put(String key, String value) {
        Properties p = target;
        if (p == null) {
            return;
        }
        if (value == null) {
            p.remove(key);
        } else {
            p.setProperty(key, value);
        }
    }

    /** For tests inside the agent's JVM: what was published, or null. */
    public static String get(String key) {
        Properties p = target;
        return p == null ? null : p.getProperty(key);
    }
}
