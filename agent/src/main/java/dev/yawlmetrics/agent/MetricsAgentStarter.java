package dev.yawlmetrics.agent;

import dev.yawlmetrics.agent.attach.AgentProperties;
import dev.yawlmetrics.agent.attach.AgentSession;
import dev.yawlmetrics.agent.config.MetricsAgentConfig;
import dev.yawlmetrics.agent.core.MetricsAgentLog;
import dev.yawlmetrics.agent.endpoint.MetricsEndpoint;
import dev.yawlmetrics.agent.instrumentation.ModuleBindings;
import dev.yawlmetrics.agent.instrumentation.ModuleContext;
import dev.yawlmetrics.agent.instrumentation.ClassLoadGate;
import dev.yawlmetrics.agent.instrumentation.InstrumentationModule;
import dev.yawlmetrics.agent.metrics.MetricsAgentRegistry;
import dev.yawlmetrics.agent.metrics.MetricsAgentHealth;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.lang.instrument.Instrumentation;
import java.util.List;

/**
 * The agent's start-up work, on its own daemon thread so the engine's main thread never waits
 * for it: the registry, each module's start-up, the weaver's warm-up, the retransformation of
 * targets that were loaded before the gate was in place (all of them after a late attach), and
 * the endpoint.
 */
final class MetricsAgentStarter implements Runnable {
    private final MetricsAgentConfig config;
    private final List<InstrumentationModule> modules;
    private final ClassLoadGate gate;
    private final Instrumentation inst;
    private final AgentSession session;
    private final ModuleBindings bindings;

    MetricsAgentStarter(MetricsAgentConfig config, List<InstrumentationModule> modules, ClassLoadGate gate, Instrumentation inst,
                        AgentSession session, ModuleBindings bindings) {
        this.bindings = bindings;
        this.config = config;
        this.modules = modules;
        this.gate = gate;
        this.inst = inst;
        this.session = session;
    }

    @Override
    public void run() {
        long t0 = System.nanoTime();
        PrometheusMeterRegistry registry;
        try {
            registry = MetricsAgentRegistry.registry();
        } catch (Throwable t) {
            MetricsAgentLog.error("could not create the meter registry; no metrics will be served: " + t);
            return;
        }
        long tRegistry = System.nanoTime();
        session.publish(AgentProperties.STARTING);
        bindings.bindAll(); // unless the gate already did, for a class woven before this thread got here
        ModuleContext context = bindings.context();
        StringBuilder perModule = new StringBuilder();
        for (InstrumentationModule m : modules) {
            long tm = System.nanoTime();
            try {
                m.onAgentStarted(context);
                perModule.append(perModule.length() == 0 ? "" : ", ").append(m.name().id()).append(' ').append(ms(System.nanoTime() - tm));
            } catch (Throwable t) {
                MetricsAgentHealth.OUTCOMES.transformationError(m.name());
                MetricsAgentLog.error(m.name().id() + ": start-up failed, this instrumentation stays inactive: " + t);
            }
        }
        long tModules = System.nanoTime();
        long tWarm = tModules;
        try {
            gate.warmUp();
            tWarm = System.nanoTime();
            gate.retransformLoaded(inst);
        } catch (Throwable t) {
            MetricsAgentLog.error("could not prepare class transformation: " + t);
        }
        long tRetransform = System.nanoTime();
        // Last: once the endpoint answers, every target already loaded is instrumented (a scrape or
        // a test that waits for the "listening" line never races the retransformation).
        startEndpoint(registry);
        session.publish(AgentProperties.ATTACHED);
        long tEnd = System.nanoTime();
        MetricsAgentLog.debug("start-up thread: registry " + ms(tRegistry - t0) + ", module start-up " + ms(tModules - tRegistry) + " (" + perModule + ")"
                + ", weaver warm-up " + ms(tWarm - tModules) + ", retransformation " + ms(tRetransform - tWarm)
                + ", endpoint and published state " + ms(tEnd - tRetransform) + " (total " + ms(tEnd - t0) + ")");
    }

    private void startEndpoint(PrometheusMeterRegistry registry) {
        try {
            session.endpoint(MetricsEndpoint.start(config, registry));
        } catch (Throwable t) {
            MetricsAgentLog.error("metrics endpoint NOT started: " + t + "; the engine runs on without a metrics endpoint");
        }
    }

    private static String ms(long nanos) {
        return nanos / 1_000_000 + " ms";
    }
}
