package dev.yawlmetrics.agent;

import dev.yawlmetrics.agent.config.MetricsAgentConfig;
import dev.yawlmetrics.agent.config.ConfigLoader;
import dev.yawlmetrics.agent.config.InstrumentationName;
import dev.yawlmetrics.agent.core.MetricsAgentLog;
import dev.yawlmetrics.agent.core.MetricsAgentVersion;
import dev.yawlmetrics.agent.core.DaemonThreads;
import dev.yawlmetrics.agent.instrumentation.ClassLoadGate;
import dev.yawlmetrics.agent.instrumentation.InstrumentationModule;
import dev.yawlmetrics.agent.Instrumentations;
import dev.yawlmetrics.agent.metrics.MetricsAgentHealth;
import dev.yawlmetrics.agent.metrics.MetricsAgentRegistry;

import java.lang.instrument.Instrumentation;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

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
    private static final AtomicBoolean STARTED = new AtomicBoolean();

    private YawlMetricsAgent() {}

    public static void premain(String args, Instrumentation inst) {
        start(args, inst);
    }

    public static void agentmain(String args, Instrumentation inst) {
        start(args, inst);
    }

    private static void start(String args, Instrumentation inst) {
        long t0 = System.nanoTime();
        try {
            if (!STARTED.compareAndSet(false, true)) {
                MetricsAgentLog.warn("agent already attached to this JVM; the second -javaagent is ignored");
                return;
            }
            MetricsAgentConfig config = ConfigLoader.fromEnvironment(args);
            MetricsAgentLog.debug(config.debug());
            MetricsAgentRegistry.configure(config);
            for (String problem : config.problems()) {
                MetricsAgentLog.warn(problem);
            }
            if (!config.enabled()) {
                MetricsAgentLog.info("yawl-metrics-agent " + MetricsAgentVersion.VALUE
                        + " disabled by yawl.metrics.enabled=false: nothing instrumented, no port opened");
                return;
            }
            List<InstrumentationModule> modules = Instrumentations.enabled(config);
            MetricsAgentLog.info(startupLine(config, modules));
            ClassLoadGate gate = new ClassLoadGate(modules, MetricsAgentHealth.OUTCOMES);
            if (gate.hasTargets()) {
                inst.addTransformer(gate, true);
            }
            DaemonThreads.start("yawl-metrics-init", new MetricsAgentStarter(config, modules, gate, inst));
            MetricsAgentLog.debug("premain returned after " + (System.nanoTime() - t0) / 1_000 + " us on the engine's thread");
        } catch (Throwable t) {
            MetricsAgentLog.error("agent failed to start; the engine continues without metrics: " + t);
        }
    }

    private static String startupLine(MetricsAgentConfig config, List<InstrumentationModule> modules) {
        StringBuilder sb = new StringBuilder("yawl-metrics-agent ").append(MetricsAgentVersion.VALUE)
                .append(" starting on Java ").append(System.getProperty("java.version"))
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
