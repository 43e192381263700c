package dev.yawlmetrics.agent;

import dev.yawlmetrics.agent.attach.AgentSession;
import dev.yawlmetrics.agent.config.MetricsAgentConfig;
import dev.yawlmetrics.agent.config.ConfigLoader;
import dev.yawlmetrics.agent.config.InstrumentationName;
import dev.yawlmetrics.agent.core.MetricsAgentLog;
import dev.yawlmetrics.agent.core.MetricsAgentVersion;
import dev.yawlmetrics.agent.core.DaemonThreads;
import dev.yawlmetrics.agent.core.StartMode;
import dev.yawlmetrics.agent.instrumentation.ClassLoadGate;
import dev.yawlmetrics.agent.instrumentation.InstrumentationModule;
import dev.yawlmetrics.agent.instrumentation.ModuleBindings;
import dev.yawlmetrics.agent.instrumentation.ModuleContext;
import dev.yawlmetrics.agent.Instrumentations;
import dev.yawlmetrics.agent.metrics.MetricsAgentHealth;
import dev.yawlmetrics.agent.metrics.MetricsAgentRegistry;

import java.lang.instrument.Instrumentation;
import java.util.List;

/**
 * Entry point of {@code -javaagent:yawl-metrics-agent.jar[=key=value,...]}.
 *
 * <p>premain does the minimum on the engine's main thread: read the configuration, register the
 * class-load gate (it must be in place before engine classes load), and start one daemon thread
 * running {@link MetricsAgentStarter}. This class deliberately references neither Micrometer nor Byte
 * Buddy, so loading it loads neither. Nothing here may throw into the JVM's start: every failure becomes one
 * log line and the engine starts as if the agent were absent.
 */
public final class YawlMetricsAgent {
    private YawlMetricsAgent() {}

    public static void premain(String args, Instrumentation inst) {
        start(args, inst, false);
    }

    /**
     * Loaded into a running JVM by {@code java -jar yawl-metrics-agent.jar attach <pid>} (or any
     * attach tool); {@code detach <pid>} loads the agent again with {@link AgentSession#DETACH_ARGUMENT}.
     * Runs on the JVM's attach listener thread, never on an engine thread.
     */
    public static void agentmain(String args, Instrumentation inst) {
        if (AgentSession.DETACH_ARGUMENT.equals(args)) {
            try {
                AgentSession.detach(inst);
            } catch (Throwable t) {
                MetricsAgentLog.error("detach failed part-way: " + t);
            }
            return;
        }
        start(args, inst, true);
    }

    private static void start(String args, Instrumentation inst, boolean late) {
        long t0 = System.nanoTime();
        try {
            MetricsAgentConfig config = ConfigLoader.fromEnvironment(args);
            List<InstrumentationModule> modules = Instrumentations.enabled(config);
            AgentSession session = AgentSession.begin(inst, config, modules, late);
            if (session == null) {
                MetricsAgentLog.warn(late ? "agent already attached to this JVM; this attach changed nothing"
                        : "agent already attached to this JVM; the second -javaagent is ignored");
                return;
            }
            session.starting();
            StartMode.set(late);
            MetricsAgentLog.debug(config.debug());
            MetricsAgentRegistry.configure(config);
            for (String problem : config.problems()) {
                MetricsAgentLog.warn(problem);
            }
            if (!config.enabled()) {
                String reason = "disabled by yawl.metrics.enabled=false: nothing instrumented, no port opened";
                MetricsAgentLog.info("yawl-metrics-agent " + MetricsAgentVersion.VALUE + " " + reason);
                session.disabled(reason);
                return;
            }
            MetricsAgentLog.info(startupLine(config, modules, late));
            // The registry is built on first use: not here, on the engine's thread.
            ModuleBindings bindings = new ModuleBindings(modules,
                    new ModuleContext(inst, MetricsAgentRegistry.attachedRegistry(), config, MetricsAgentHealth.OUTCOMES));
            session.bindings(bindings);
            ClassLoadGate gate = new ClassLoadGate(modules, MetricsAgentHealth.OUTCOMES, config.dumpDir(), bindings);
            if (gate.hasTargets()) {
                inst.addTransformer(gate, true);
                session.gate(gate);
            }
            session.starter(DaemonThreads.start("yawl-metrics-init", new MetricsAgentStarter(config, modules, gate, inst, session, bindings)));
            MetricsAgentLog.debug("premain returned after " + (System.nanoTime() - t0) / 1_000 + " us on the engine's thread");
        } catch (Throwable t) {
            MetricsAgentLog.error("agent failed to start; the engine continues without metrics: " + t);
        }
    }

    private static String startupLine(MetricsAgentConfig config, List<InstrumentationModule> modules, boolean late) {
        StringBuilder sb = new StringBuilder("yawl-metrics-agent ").append(MetricsAgentVersion.VALUE)
                .append(late ? " attaching to a running JVM on Java " : " starting on Java ").append(System.getProperty("java.version"))
                .append(": port=").append(config.port()).append(" path=").append(config.path())
                .append(" instrumentations:");
        for (InstrumentationName n : InstrumentationName.values()) {
            boolean implemented = false;
            for (InstrumentationModule m : Instrumentations.all()) {
                implemented |= m.name() == n;
            }
            sb.append(' ').append(n.id()).append('=')
              .append(!config.isEnabled(n) ? "off" : implemented ? "on" : "on(not available in this build)");
        }
        return sb.toString();
    }

}
