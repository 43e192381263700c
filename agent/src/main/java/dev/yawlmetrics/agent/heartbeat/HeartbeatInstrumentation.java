package dev.yawlmetrics.agent.heartbeat;

import dev.yawlmetrics.agent.config.InstrumentationName;
import dev.yawlmetrics.agent.core.AgentLog;
import dev.yawlmetrics.agent.etcd.EtcdInstrumentation;
import dev.yawlmetrics.agent.instrumentation.AgentContext;
import dev.yawlmetrics.agent.instrumentation.InstrumentationModule;
import dev.yawlmetrics.agent.instrumentation.Shapes;
import dev.yawlmetrics.agent.instrumentation.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.MemberSubstitution;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;

import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.isSubTypeOf;
import static net.bytebuddy.matcher.ElementMatchers.isVirtual;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * {@code EtcdAgentRegistryClient} heartbeats: each renewal (the lambda startHeartbeat schedules)
 * timed, classified by the outcome of the put it makes, its lateness against the fixed-rate
 * schedule, reconnects, and the real heartbeat executor's queue depth and active threads.
 *
 * <p>How: inside startHeartbeat the call {@code heartbeatExecutor.scheduleAtFixedRate(lambda, ...)}
 * is replaced by {@link HeartbeatRecorder#scheduleAtFixedRate}, which schedules the same lambda
 * wrapped in a {@link RenewalTask} on the same executor with the same delays. The lambda swallows
 * every exception, so the outcome is taken at the exit of publishToEtcd, on the renewal's thread.
 */
public final class HeartbeatInstrumentation implements InstrumentationModule {

    @Override
    public InstrumentationName name() {
        return InstrumentationName.HEARTBEAT;
    }

    @Override
    public List<String> targetClassNames() {
        return List.of(EtcdInstrumentation.TARGET);
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return List.of(new ClientType());
    }

    @Override
    public void onAgentStarted(AgentContext context) {
        HeartbeatRecorder.EXECUTORS.openJavaUtilConcurrent(context.instrumentation());
        HeartbeatRecorder.init(); // series and gauges exist (at 0) before the first renewal
    }

    static final class ClientType implements TypeInstrumentation {
        // Matchers live here, not on the module: the module is instantiated in premain.
        static final ElementMatcher.Junction<MethodDescription> START_HEARTBEAT =
                named("startHeartbeat").and(takesArguments(String.class, String.class, String.class));
        static final ElementMatcher.Junction<MethodDescription> SCHEDULE_AT_FIXED_RATE =
                named("scheduleAtFixedRate").and(isVirtual())
                        .and(takesArguments(Runnable.class, long.class, long.class, TimeUnit.class))
                        .and(net.bytebuddy.matcher.ElementMatchers.isDeclaredBy(isSubTypeOf(ScheduledExecutorService.class)));
        /** The same member the etcd instrumentation advises: one definition. */
        static final ElementMatcher.Junction<MethodDescription> PUBLISH = EtcdInstrumentation.Matchers.PUBLISH;
        static final ElementMatcher.Junction<MethodDescription> REGISTER = named("register").and(takesArguments(1));

        @Override
        public String targetClassName() {
            return EtcdInstrumentation.TARGET;
        }

        @Override
        public String checkShape(TypeDescription type) {
            String methods = Shapes.missing(type,
                    Shapes.method("startHeartbeat(String,String,String)", START_HEARTBEAT),
                    Shapes.method("publishToEtcd(String,String)", PUBLISH),
                    Shapes.method("register(AgentInfo)", REGISTER));
            if (methods != null) {
                return methods;
            }
            for (String field : new String[] {"heartbeatExecutor", "activeHeartbeats"}) {
                if (type.getDeclaredFields().filter(named(field)).isEmpty()) {
                    return "field not found: " + field;
                }
            }
            return null;
        }

        @Override
        public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder, TypeDescription type, ClassLoader loader) {
            builder = builder
                    .visit(Advice.to(PublishOutcomeAdvice.class).on(PUBLISH))
                    .visit(Advice.to(RegisterAdvice.class).on(REGISTER))
                    .visit(Advice.to(ConstructorAdvice.class).on(isConstructor()));
            // Unlike advice (suppress = Throwable), a substituted call has no safety net: if the
            // engine's loader cannot resolve the recorder, startHeartbeat would throw
            // NoClassDefFoundError. Substitute only when it resolves to this very class.
            if (!seesAgent(loader)) {
                AgentLog.warn("heartbeat: the class loader of " + type.getName() + " cannot see the agent; its "
                        + "renewals are not wrapped (no yawl_heartbeat_* renewal metrics for it), the engine runs unchanged");
                return builder;
            }
            try {
                return builder.visit(MemberSubstitution.relaxed()
                        .method(SCHEDULE_AT_FIXED_RATE)
                        .replaceWith(HeartbeatRecorder.class.getMethod("scheduleAtFixedRate",
                                ScheduledExecutorService.class, Runnable.class, long.class, long.class, TimeUnit.class))
                        .on(START_HEARTBEAT));
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException(e);
            }
        }

        static boolean seesAgent(ClassLoader loader) {
            try {
                return Class.forName(HeartbeatRecorder.class.getName(), false, loader) == HeartbeatRecorder.class;
            } catch (ClassNotFoundException | LinkageError e) {
                return false;
            }
        }
    }

    static final class PublishOutcomeAdvice {
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Thrown Throwable thrown) {
            HeartbeatRecorder.publishFinished(thrown);
        }
    }

    static final class RegisterAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(0) Object agentInfo, @Advice.FieldValue("activeHeartbeats") Object active) {
            HeartbeatRecorder.registerCalled(agentInfo, active);
        }
    }

    static final class ConstructorAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.FieldValue("heartbeatExecutor") Object executor) {
            HeartbeatRecorder.clientCreated(executor);
        }
    }
}
