package dev.yawlmetrics.agent;

import dev.yawlmetrics.agent.config.MetricsAgentConfig;
import dev.yawlmetrics.agent.instrumentation.InstrumentationModule;
import dev.yawlmetrics.agent.discovery.DiscoveryInstrumentation;
import dev.yawlmetrics.agent.etcd.EtcdInstrumentation;
import dev.yawlmetrics.agent.heartbeat.HeartbeatInstrumentation;
import dev.yawlmetrics.agent.httpclient.HttpClientInstrumentation;
import dev.yawlmetrics.agent.jvm.JvmInstrumentation;
import dev.yawlmetrics.agent.lifecycle.LifecycleInstrumentation;
import dev.yawlmetrics.agent.marketplace.MarketplaceInstrumentation;

import java.util.ArrayList;
import java.util.List;

/** The one list of instrumentations. Add a module here and nowhere else. */
public final class Instrumentations {
    private Instrumentations() {}

    public static List<InstrumentationModule> all() {
        return List.of(
                new MarketplaceInstrumentation(),
                new HeartbeatInstrumentation(),
                new EtcdInstrumentation(),
                new HttpClientInstrumentation(),
                new JvmInstrumentation(),
                new LifecycleInstrumentation(),
                new DiscoveryInstrumentation());
    }

    public static List<InstrumentationModule> enabled(MetricsAgentConfig config) {
        List<InstrumentationModule> out = new ArrayList<>();
        for (InstrumentationModule m : all()) {
            if (config.isEnabled(m.name())) {
                out.add(m);
            }
        }
        return out;
    }
}
