package dev.yawlmetrics.agent.etcd;

import dev.yawlmetrics.agent.config.InstrumentationName;
import dev.yawlmetrics.agent.instrumentation.AgentContext;
import dev.yawlmetrics.agent.instrumentation.InstrumentationModule;
import dev.yawlmetrics.agent.instrumentation.ClassShape;
import dev.yawlmetrics.agent.instrumentation.ClassShape.Member;
import dev.yawlmetrics.agent.instrumentation.MethodAdvice;
import dev.yawlmetrics.agent.instrumentation.MethodAdvice.Hook;
import dev.yawlmetrics.agent.instrumentation.TypeInstrumentation;
import dev.yawlmetrics.agent.instrumentation.Weaving;

import java.util.List;
import java.util.function.Predicate;

import static dev.yawlmetrics.agent.instrumentation.Members.nameMatches;
import static dev.yawlmetrics.agent.instrumentation.Members.named;
import static dev.yawlmetrics.agent.instrumentation.Members.takesArguments;
import static dev.yawlmetrics.agent.instrumentation.MethodAdvice.Arg.enterValue;
import static dev.yawlmetrics.agent.instrumentation.MethodAdvice.Arg.thrown;

/**
 * {@code EtcdAgentRegistryClient}: latency and outcome of each private etcd call, by query type
 * (heartbeat / publish / unpublish / discovery).
 */
public final class EtcdInstrumentation implements InstrumentationModule {
    public static final String TARGET = "org.yawlfoundation.yawl.integration.autonomous.registry.EtcdAgentRegistryClient";

    /**
     * The client's members, shared with the heartbeat instrumentation. A holder class, so that
     * the module itself (instantiated in premain) loads nothing of the rewriting path.
     */
    public static final class Matchers {
        private Matchers() {}

        /** javac names the renewal lambda per method ({@code lambda$startHeartbeat$0} with javac 25). */
        public static final Predicate<Member> RENEWAL_LAMBDA = nameMatches("lambda\\$startHeartbeat\\$\\d+");
        public static final Predicate<Member> PUBLISH = named("publishToEtcd").and(takesArguments(2));
        static final Predicate<Member> DELETE = named("deleteFromEtcd").and(takesArguments(1));
        static final Predicate<Member> FETCH = named("fetchAllFromEtcd").and(takesArguments(0));
    }

    @Override
    public InstrumentationName name() {
        return InstrumentationName.ETCD;
    }

    @Override
    public List<String> targetClassNames() {
        return List.of(TARGET);
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return List.of(new ClientType());
    }

    @Override
    public void onAgentStarted(AgentContext context) {
        EtcdRecorder.init(); // series exist (at 0) before the first call
    }

    static final class ClientType implements TypeInstrumentation {
        @Override
        public String targetClassName() {
            return TARGET;
        }

        @Override
        public String checkShape(ClassShape type) {
            return type.missing(
                    ClassShape.method("publishToEtcd(String,String)", Matchers.PUBLISH),
                    ClassShape.method("deleteFromEtcd(String)", Matchers.DELETE),
                    ClassShape.method("fetchAllFromEtcd()", Matchers.FETCH),
                    ClassShape.method("lambda$startHeartbeat$<n>", Matchers.RENEWAL_LAMBDA));
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
                            .onThrowable().build())
                    .advise(Matchers.PUBLISH, MethodAdvice.timed(Hook.of(EtcdRecorder.class, "publishFinished"), enterValue(), thrown()))
                    .advise(Matchers.DELETE, MethodAdvice.timed(Hook.of(EtcdRecorder.class, "deleteFinished"), enterValue(), thrown()))
                    .advise(Matchers.FETCH, MethodAdvice.timed(Hook.of(EtcdRecorder.class, "fetchFinished"), enterValue(), thrown()));
        }
    }
}
