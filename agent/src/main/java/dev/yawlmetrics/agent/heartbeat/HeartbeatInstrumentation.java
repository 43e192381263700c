package dev.yawlmetrics.agent.heartbeat;

import dev.yawlmetrics.agent.config.InstrumentationName;
import dev.yawlmetrics.agent.core.MetricsAgentLog;
import dev.yawlmetrics.agent.core.StartMode;
import dev.yawlmetrics.agent.instrumentation.ModuleContext;
import dev.yawlmetrics.agent.instrumentation.ContextBound;
import dev.yawlmetrics.agent.instrumentation.InstrumentationModule;
import dev.yawlmetrics.agent.instrumentation.CallSiteRewriter;
import dev.yawlmetrics.agent.instrumentation.ClassShape;
import dev.yawlmetrics.agent.instrumentation.ClassShape.Member;
import dev.yawlmetrics.agent.instrumentation.MethodAdvice;
import dev.yawlmetrics.agent.instrumentation.MethodAdvice.Hook;
import dev.yawlmetrics.agent.instrumentation.TypeInstrumentation;
import dev.yawlmetrics.agent.instrumentation.Weaving;
import dev.yawlmetrics.agent.targets.EtcdRegistryClientShape;

import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import static dev.yawlmetrics.agent.instrumentation.Members.isConstructor;
import static dev.yawlmetrics.agent.instrumentation.Members.isStatic;
import static dev.yawlmetrics.agent.instrumentation.Members.named;
import static dev.yawlmetrics.agent.instrumentation.Members.takesArguments;
import static dev.yawlmetrics.agent.instrumentation.MethodAdvice.Arg.argument;
import static dev.yawlmetrics.agent.instrumentation.MethodAdvice.Arg.enterValue;
import static dev.yawlmetrics.agent.instrumentation.MethodAdvice.Arg.field;
import static dev.yawlmetrics.agent.instrumentation.MethodAdvice.Arg.thrown;

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
        return List.of(EtcdRegistryClientShape.TARGET);
    }

    @Override
    public List<? extends ContextBound> boundToContext() {
        return List.of(HeartbeatRecorder.METRICS);
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return List.of(new ClientType());
    }

    @Override
    public void onAgentStarted(ModuleContext context) {
        HeartbeatRecorder.EXECUTORS.openJavaUtilConcurrent(context.instrumentation());
        HeartbeatRecorder.init(); // series and gauges exist (at 0) before the first renewal
    }

    static final class ClientType implements TypeInstrumentation {
        // Matchers live here, not on the module: the module is instantiated in premain.
        static final Predicate<Member> START_HEARTBEAT =
                named("startHeartbeat").and(takesArguments(String.class, String.class, String.class));
        static final String SCHEDULE_AT_FIXED_RATE = "scheduleAtFixedRate";
        static final String SCHEDULE_DESCRIPTOR = "(Ljava/lang/Runnable;JJLjava/util/concurrent/TimeUnit;)Ljava/util/concurrent/ScheduledFuture;";
        /** The same member the etcd instrumentation advises: one definition. */
        static final Predicate<Member> PUBLISH = EtcdRegistryClientShape.Matchers.PUBLISH;
        static final Predicate<Member> REGISTER = named("register").and(takesArguments(1));

        @Override
        public String targetClassName() {
            return EtcdRegistryClientShape.TARGET;
        }

        /** The fields the hooks read; the methods are checked by the rules themselves (Weaving.site). */
        @Override
        public String checkShape(ClassShape type) {
            for (String field : new String[] {"heartbeatExecutor", "activeHeartbeats"}) {
                ClassShape.Member f = type.field(field);
                if (f == null || f.isStatic()) {
                    return "field not found: " + field;
                }
            }
            return null;
        }

        @Override
        public void transform(Weaving weaving) {
            ClassShape type = weaving.type();
            weaving.advise(PUBLISH, MethodAdvice.builder()
                            .exit(Hook.of(HeartbeatRecorder.class, "publishFinished"), thrown()).onThrowable().build())
                    .site("publishToEtcd(String,String)")
                    .advise(REGISTER, MethodAdvice.builder()
                            .enter(Hook.of(HeartbeatRecorder.class, "registerCalled"), argument(0), field("activeHeartbeats")).build())
                    .site("register(AgentInfo)")
                    .advise(isConstructor(), MethodAdvice.builder()
                            .exit(Hook.of(HeartbeatRecorder.class, "clientCreated"), field("heartbeatExecutor")).build())
                    .site("a constructor");
            if (StartMode.isLate()) {
                // Heartbeats scheduled before the attach have no wrapper: their runs are timed in the lambda.
                weaving.advise(EtcdRegistryClientShape.Matchers.RENEWAL_LAMBDA.and(isStatic().negate()), MethodAdvice.builder()
                        .enterValue(Hook.of(HeartbeatRecorder.class, "unscheduledRenewalStarted"), field("heartbeatExecutor"))
                        .exit(Hook.of(HeartbeatRecorder.class, "unscheduledRenewalFinished"), enterValue())
                        .onThrowable().build()).site("lambda$startHeartbeat$<n>");
            }
            // javac names the receiver's static type at the call: the field's type in both engine versions.
            weaving.rewrite(START_HEARTBEAT, CallSiteRewriter.substitute(
                    Set.of("java/util/concurrent/ScheduledExecutorService", "java/util/concurrent/ScheduledThreadPoolExecutor"),
                    SCHEDULE_AT_FIXED_RATE, SCHEDULE_DESCRIPTOR, Hook.of(HeartbeatRecorder.class, "scheduleAtFixedRate")))
                    .site("startHeartbeat(String,String,String) calling scheduleAtFixedRate");
        }
    }
}
