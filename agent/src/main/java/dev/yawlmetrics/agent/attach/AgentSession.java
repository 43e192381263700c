package dev.yawlmetrics.agent.attach;

import dev.yawlmetrics.agent.config.MetricsAgentConfig;
import dev.yawlmetrics.agent.config.InstrumentationName;
import dev.yawlmetrics.agent.core.MetricsAgentLog;
import dev.yawlmetrics.agent.core.MetricsAgentVersion;
import dev.yawlmetrics.agent.endpoint.MetricsEndpoint;
import dev.yawlmetrics.agent.instrumentation.ClassLoadGate;
import dev.yawlmetrics.agent.instrumentation.InstrumentationModule;
import dev.yawlmetrics.agent.instrumentation.ModuleBindings;
import dev.yawlmetrics.agent.metrics.MetricsAgentRegistry;
import dev.yawlmetrics.agent.metrics.MetricsAgentHealth;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.nio.charset.StandardCharsets;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One life of the agent in this JVM, from premain or agentmain to detach, and everything a
 * detach has to undo. At most one session runs at a time; a late-attached agent's classes stay
 * loaded after a detach (the JVM cannot unload classes of the system class loader), so the next
 * attach starts a new session on the same classes.
 */
public final class AgentSession {
    /** The agent argument {@code detach <pid>} loads the agent with. Not a setting: never logged as unknown. */
    public static final String DETACH_ARGUMENT = "yawl-metrics-agent:detach";

    private static AgentSession current;

    private final Instrumentation inst;
    private final MetricsAgentConfig config;
    private final List<InstrumentationModule> modules;
    private final boolean late;
    private volatile ClassLoadGate gate;
    private volatile Thread starter;
    private volatile ModuleBindings bindings;
    private volatile MetricsEndpoint endpoint;

    private AgentSession(Instrumentation inst, MetricsAgentConfig config, List<InstrumentationModule> modules, boolean late) {
        this.inst = inst;
        this.config = config;
        this.modules = List.copyOf(modules);
        this.late = late;
    }

    /** A new session, or null when an agent is already running in this JVM (nothing changes then). */
    public static synchronized AgentSession begin(Instrumentation inst, MetricsAgentConfig config,
                                                  List<InstrumentationModule> modules, boolean late) {
        if (current != null) {
            return null;
        }
        current = new AgentSession(inst, config, modules, late);
        return current;
    }

    public static synchronized boolean isActive() {
        return current != null;
    }

    public void gate(ClassLoadGate g) {
        this.gate = g;
    }

    public void bindings(ModuleBindings b) {
        this.bindings = b;
    }

    public void starter(Thread t) {
        this.starter = t;
    }

    public void endpoint(MetricsEndpoint e) {
        this.endpoint = e;
    }

    /** Start-up published so far; runs on the agent's start-up thread, off the engine's. */
    public void publish(String state) {
        if (!AgentProperties.open(inst)) {
            return;
        }
        MetricsAgentHealth.onChange(AgentSession::refresh);
        MetricsEndpoint e = endpoint;
        AgentProperties.put(AgentProperties.VERSION, MetricsAgentVersion.VALUE);
        AgentProperties.put(AgentProperties.MODE, late ? "attach" : "javaagent");
        AgentProperties.put(AgentProperties.PORT, Integer.toString(e == null ? -1 : e.port()));
        AgentProperties.put(AgentProperties.URL, e == null ? null : "http://" + config.host() + ":" + e.port() + config.path());
        AgentProperties.put(AgentProperties.MESSAGE, e == null ? "metrics endpoint not running (see the engine's stderr)" : null);
        AgentProperties.put(AgentProperties.DETACH, null);
        refresh();
        AgentProperties.put(AgentProperties.STATE, state);
    }

    /**
     * A late attach says "starting" before agentmain returns, so the command waiting for it never
     * reads the state a previous attach left behind (e.g. "disabled").
     */
    public void starting() {
        if (late && AgentProperties.open(inst)) {
            AgentProperties.put(AgentProperties.MESSAGE, null);
            AgentProperties.put(AgentProperties.STATE, AgentProperties.STARTING);
        }
    }

    /**
     * Ends a session whose configuration says yawl.metrics.enabled=false before anything was
     * installed, and says so to {@code status} and a waiting {@code attach}: without this the
     * command would wait for a ready state that never comes. A later attach with the agent enabled
     * starts a new session.
     */
    public void disabled(String reason) {
        synchronized (AgentSession.class) {
            if (current == this) {
                current = null;
            }
        }
        if (!AgentProperties.open(inst)) {
            return;
        }
        AgentProperties.put(AgentProperties.VERSION, MetricsAgentVersion.VALUE);
        AgentProperties.put(AgentProperties.MODE, late ? "attach" : "javaagent");
        AgentProperties.put(AgentProperties.PORT, "-1");
        AgentProperties.put(AgentProperties.URL, null);
        AgentProperties.put(AgentProperties.INSTRUMENTATIONS, null);
        AgentProperties.put(AgentProperties.ERRORS, null);
        AgentProperties.put(AgentProperties.MESSAGE, reason);
        AgentProperties.put(AgentProperties.STATE, AgentProperties.DISABLED);
    }

    /**
     * Re-reads the self-metrics into the published state; {@link MetricsAgentHealth} calls it when an
     * instrumentation is applied, skipped or fails (rare events, never per recorded call).
     */
    static void refresh() {
        StringBuilder inst = new StringBuilder();
        StringBuilder errors = new StringBuilder();
        MetricsAgentConfig c;
        synchronized (AgentSession.class) {
            if (current == null) {
                return;
            }
            c = current.config;
        }
        long transformation = 0;
        long recording = 0;
        for (InstrumentationName n : InstrumentationName.values()) {
            String state = !c.isEnabled(n) ? "off" : MetricsAgentHealth.isApplied(n) ? "applied" : "enabled";
            long skipped = MetricsAgentHealth.skipped(n);
            if (skipped > 0) {
                state += "(skipped " + skipped + ")";
            }
            inst.append(inst.length() == 0 ? "" : " ").append(n.id()).append('=').append(state);
            transformation += MetricsAgentHealth.transformationErrors(n);
            recording += MetricsAgentHealth.recordingErrors(n);
        }
        errors.append("config=").append(c.problems().size())
              .append(" transformation=").append(transformation)
              .append(" recording=").append(recording);
        AgentProperties.put(AgentProperties.INSTRUMENTATIONS, inst.toString());
        AgentProperties.put(AgentProperties.ERRORS, errors.toString());
    }

    /**
     * Undoes an attach: stops the endpoint, removes the transformer, retransforms every class it
     * rewrote back to the bytes the JVM loaded, lets modules release what they hold, drops every
     * meter and ends the agent's threads. Runs on the JVM's attach listener thread. An agent started
     * with -javaagent is not detached: the classes it rewrote at load time gained fields, which a
     * retransformation cannot take away again.
     */
    public static void detach(Instrumentation inst) {
        AgentSession s;
        synchronized (AgentSession.class) {
            s = current;
        }
        if (s == null) {
            AgentProperties.open(inst);
            MetricsAgentLog.warn("detach requested, but no agent is attached to this JVM; nothing changed");
            return;
        }
        if (!s.late) {
            AgentProperties.put(AgentProperties.MESSAGE, "started with -javaagent: detach refused");
            MetricsAgentLog.warn("detach refused: this agent was started with -javaagent, and the classes it rewrote at load time"
                    + " have fields a retransformation cannot remove; restart the engine without -javaagent instead");
            return;
        }
        s.detachNow();
    }

    private void detachNow() {
        long t0 = System.nanoTime();
        AgentProperties.put(AgentProperties.STATE, AgentProperties.DETACHING);
        List<String> problems = new ArrayList<>();
        Thread t = starter;
        if (t != null) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(30)); // start-up must not add anything after we removed it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (t.isAlive()) {
                problems.add("start-up thread still running");
            }
        }
        MetricsEndpoint e = endpoint;
        if (e != null) {
            try {
                e.stop();
            } catch (Throwable x) {
                problems.add("endpoint: " + x);
            }
        }
        ClassLoadGate g = gate;
        int restored = 0;
        int verified = 0;
        if (g != null) {
            inst.removeTransformer(g);
            Restore check = new Restore();
            List<Class<?>> targets = new ArrayList<>();
            for (Class<?> c : inst.getAllLoadedClasses()) {
                if (g.isTarget(c.getName()) && inst.isModifiableClass(c)) {
                    targets.add(c);
                }
            }
            inst.addTransformer(check, true);
            try {
                for (Class<?> c : targets) {
                    try {
                        inst.retransformClasses(c);
                        restored++;
                    } catch (Throwable x) {
                        problems.add("could not restore " + c.getName() + ": " + x);
                    }
                }
            } finally {
                inst.removeTransformer(check);
            }
            verified = check.clean;
            if (check.dirty > 0) {
                problems.add(check.dirty + " restored class(es) still name agent classes");
            }
        }
        for (InstrumentationModule m : modules) {
            try {
                m.onAgentDetached();
            } catch (Throwable x) {
                problems.add(m.name().id() + ": " + x);
            }
        }
        ModuleBindings b = bindings;
        if (b != null) {
            problems.addAll(b.unbindAll()); // recorders still reached by old code record nothing from here
        }
        MetricsAgentRegistry.detach();
        synchronized (AgentSession.class) {
            current = null;
        }
        String summary = "restored " + restored + " class(es) to the bytes the JVM loaded (" + verified
                + " checked free of agent code), endpoint closed, meters dropped in "
                + (System.nanoTime() - t0) / 1_000_000 + " ms" + (problems.isEmpty() ? "" : "; problems: " + String.join("; ", problems));
        AgentProperties.put(AgentProperties.PORT, "-1");
        AgentProperties.put(AgentProperties.URL, null);
        AgentProperties.put(AgentProperties.INSTRUMENTATIONS, null);
        AgentProperties.put(AgentProperties.ERRORS, null);
        AgentProperties.put(AgentProperties.DETACH, summary);
        AgentProperties.put(AgentProperties.MESSAGE, problems.isEmpty() ? null : String.join("; ", problems));
        AgentProperties.put(AgentProperties.STATE, AgentProperties.DETACHED);
        MetricsAgentLog.info("detached: " + summary + "; the agent's classes stay loaded (a JVM never unloads them)");
    }

    /**
     * Sees the bytes each restored class is rebuilt from, with the agent's transformer gone, and
     * checks that they no longer name any class of the agent (its recorders or the HTTP bridge).
     */
    private static final class Restore implements ClassFileTransformer {
        private static final byte[] AGENT = "dev/yawlmetrics/agent/".getBytes(StandardCharsets.UTF_8);
        private static final byte[] BRIDGE = "YawlMetricsHttpBridge".getBytes(StandardCharsets.UTF_8);
        int clean;
        int dirty;

        @Override
        public byte[] transform(Module module, ClassLoader loader, String className, Class<?> redefined,
                                ProtectionDomain domain, byte[] classfile) {
            if (redefined != null) {
                if (contains(classfile, AGENT) || contains(classfile, BRIDGE)) {
                    dirty++;
                } else {
                    clean++;
                }
            }
            return null;
        }

        private static boolean contains(byte[] data, byte[] needle) {
            outer:
            for (int i = 0; i + needle.length <= data.length; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (data[i + j] != needle[j]) {
                        continue outer;
                    }
                }
                return true;
            }
            return false;
        }
    }
}
