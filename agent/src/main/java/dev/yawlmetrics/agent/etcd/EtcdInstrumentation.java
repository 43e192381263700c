package dev.yawlmetrics.agent.etcd;

import dev.yawlmetrics.agent.config.InstrumentationName;
import dev.yawlmetrics.agent.instrumentation.AgentContext;
import dev.yawlmetrics.agent.instrumentation.InstrumentationModule;
import dev.yawlmetrics.agent.instrumentation.Shapes;
import dev.yawlmetrics.agent.instrumentation.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;

import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.nameMatches;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * {@code EtcdAgentRegistryClient}: latency and outcome of each private etcd call, by query type
 * (heartbeat / publish / unpublish / discovery).
 */
public final class EtcdInstrumentation implements InstrumentationModule {
    public static final String TARGET = "org.yawlfoundation.yawl.integration.autonomous.registry.EtcdAgentRegistryClient";

    /**
     * The client's members, shared with the heartbeat instrumentation. A holder class, so that
     * the module itself (instantiated in premain) loads no Byte Buddy.
     */
    public static final class Matchers {
        private Matchers() {}

        /** javac names the renewal lambda per method ({@code lambda$startHeartbeat$0} with javac 25). */
        public static final ElementMatcher.Junction<MethodDescription> RENEWAL_LAMBDA =
                nameMatches("lambda\\$startHeartbeat\\$\\d+");
        public static final ElementMatcher.Junction<MethodDescription> PUBLISH = named("publishToEtcd").and(takesArguments(2));
        static final ElementMatcher.Junction<MethodDescription> DELETE = named("deleteFromEtcd").and(takesArguments(1));
        static final ElementMatcher.Junction<MethodDescription> FETCH = named("fetchAllFromEtcd").and(takesArguments(0));
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
        public String checkShape(TypeDescription type) {
            return Shapes.missing(type,
                    Shapes.method("publishToEtcd(String,String)", Matchers.PUBLISH),
                    Shapes.method("deleteFromEtcd(String)", Matchers.DELETE),
                    Shapes.method("fetchAllFromEtcd()", Matchers.FETCH),
                    Shapes.method("lambda$startHeartbeat$<n>", Matchers.RENEWAL_LAMBDA));
        }

        @Override
        public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder, TypeDescription type, ClassLoader loader) {
            return builder
                    .visit(Advice.to(RenewalMarkAdvice.class).on(Matchers.RENEWAL_LAMBDA))
                    .visit(Advice.to(PublishAdvice.class).on(Matchers.PUBLISH))
                    .visit(Advice.to(DeleteAdvice.class).on(Matchers.DELETE))
                    .visit(Advice.to(FetchAdvice.class).on(Matchers.FETCH));
        }
    }

    static final class RenewalMarkAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter() {
            EtcdRecorder.renewalEntered();
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit() {
            EtcdRecorder.renewalExited();
        }
    }

    static final class PublishAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter() {
            return System.nanoTime();
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter long startNanos, @Advice.Thrown Throwable thrown) {
            EtcdRecorder.publishFinished(startNanos, thrown);
        }
    }

    static final class DeleteAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter() {
            return System.nanoTime();
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter long startNanos, @Advice.Thrown Throwable thrown) {
            EtcdRecorder.deleteFinished(startNanos, thrown);
        }
    }

    static final class FetchAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter() {
            return System.nanoTime();
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter long startNanos, @Advice.Thrown Throwable thrown) {
            EtcdRecorder.fetchFinished(startNanos, thrown);
        }
    }
}
