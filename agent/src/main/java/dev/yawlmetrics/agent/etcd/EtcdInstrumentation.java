package dev.yawlmetrics.agent.etcd;

import dev.yawlmetrics.agent.config.InstrumentationName;
import dev.yawlmetrics.agent.instrumentation.ModuleContext;
import dev.yawlmetrics.agent.instrumentation.ContextBound;
import dev.yawlmetrics.agent.instrumentation.InstrumentationModule;
import dev.yawlmetrics.agent.instrumentation.ClassShape;
import dev.yawlmetrics.agent.instrumentation.MethodAdvice;
import dev.yawlmetrics.agent.instrumentation.MethodAdvice.Hook;
import dev.yawlmetrics.agent.instrumentation.TypeInstrumentation;
import dev.yawlmetrics.agent.instrumentation.Weaving;
import dev.yawlmetrics.agent.targets.EtcdRegistryClientShape.Matchers;

import java.util.List;

import static dev.yawlmetrics.agent.targets.EtcdRegistryClientShape.TARGET;

import static dev.yawlmetrics.agent.instrumentation.MethodAdvice.Arg.enterValue;
import static dev.yawlmetrics.agent.instrumentation.MethodAdvice.Arg.thrown;

/**
 * {@code EtcdAgentRegistryClient}: latency and outcome of each private etcd call, by query type
 * (heartbeat / publish / unpublish / discovery).
 */
public final class EtcdInstrumentation implements InstrumentationModule {
    @Override
    public InstrumentationName name() {
        return InstrumentationName.ETCD;
    }

    @Override
    public List<String> targetClassNames() {
        return List.of(TARGET);
    }

    @Override
    public List<? extends ContextBound> boundToContext() {
        return List.of(EtcdRecorder.METRICS);
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return List.of(new ClientType());
    }

    @Override
    public void onAgentStarted(ModuleContext context) {
        EtcdRecorder.init(); // series exist (at 0) before the first call
    }

    static final class ClientType implements TypeInstrumentation {
        @Override
        public String targetClassName() {
            return TARGET;
        }

        /** The rules below are the shape check: each names its site and must find it (Weaving.site). */
        @Override
        public String checkShape(ClassShape type) {
            return null;
        }

        /**
         * The renewal lambda marks its thread while it runs (so the put inside it counts as a
         * renewal); each private etcd call is timed, including when it throws.
         */
        @Override
        public void transform(Weaving weaving) {
            weaving.advise(Matchers.RENEWAL_LAMBDA, MethodAdvice.builder()
                            .enter(Hook.of(EtcdRecorder.class, "renewalEntered"))
                            .exit(Hook.of(EtcdRecorder.class, "renewalExited"))
                            .onThrowable().build()).site("lambda$startHeartbeat$<n>")
                    .advise(Matchers.PUBLISH, MethodAdvice.timed(Hook.of(EtcdRecorder.class, "publishFinished"), enterValue(), thrown()))
                    .site("publishToEtcd(String,String)")
                    .advise(Matchers.DELETE, MethodAdvice.timed(Hook.of(EtcdRecorder.class, "deleteFinished"), enterValue(), thrown()))
                    .site("deleteFromEtcd(String)")
                    .advise(Matchers.FETCH, MethodAdvice.timed(Hook.of(EtcdRecorder.class, "fetchFinished"), enterValue(), thrown()))
                    .site("fetchAllFromEtcd()");
        }
    }
}
