package dev.yawlmetrics.agent.discovery;

import dev.yawlmetrics.agent.config.InstrumentationName;
import dev.yawlmetrics.agent.instrumentation.InstrumentationModule;
import dev.yawlmetrics.agent.instrumentation.Shapes;
import dev.yawlmetrics.agent.instrumentation.TypeInstrumentation;
import dev.yawlmetrics.agent.lifecycle.AgentShape;
import dev.yawlmetrics.agent.lifecycle.CallSiteRewriter;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * {@code GenericPartyAgent} discovery and backoff: each {@code runDiscoveryCycle()} (exit advice),
 * the discovery loop lambda's start and end (advice), its {@code TimeUnit.sleep(long)} call (call
 * site replaced: records the requested sleep and the agent's backoff fields, then sleeps), and
 * the engine client's check-out/check-in answers inside {@code processWorkItem}.
 */
public final class DiscoveryInstrumentation implements InstrumentationModule {
    private static final String IB = AgentShape.IB_CLIENT;

    @Override
    public InstrumentationName name() {
        return InstrumentationName.DISCOVERY;
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return List.of(new AgentType());
    }

    static final class AgentType implements TypeInstrumentation {
        @Override
        public String targetClassName() {
            return AgentShape.TARGET;
        }

        /** Per-agent state is a field added at first load; see AgentShape.ensureTracked. */
        @Override
        public boolean addsMembers() {
            return true;
        }

        @Override
        public String checkShape(TypeDescription type) {
            List<String> fields = AgentShape.missingFields(type);
            if (!fields.isEmpty()) {
                return "member(s) not found: " + String.join(", ", fields);
            }
            return Shapes.missing(type,
                    Shapes.method("boolean runDiscoveryCycle()", named("runDiscoveryCycle").and(takesArguments(0)).and(returns(boolean.class))),
                    Shapes.method("instance lambda$startDiscoveryLoop$N()", AgentShape.DISCOVERY_LAMBDA.and(not(isStatic()))),
                    Shapes.method("processWorkItem(WorkItemRecord)", named("processWorkItem").and(takesArguments(1))));
        }

        @Override
        public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder, TypeDescription type, ClassLoader loader) {
            return AgentShape.ensureTracked(builder, loader)
                    .visit(Advice.to(CycleAdvice.class).on(named("runDiscoveryCycle").and(takesArguments(0)).and(returns(boolean.class))))
                    .visit(Advice.to(LoopAdvice.class).on(AgentShape.DISCOVERY_LAMBDA.and(not(isStatic()))))
                    .visit(new AsmVisitorWrapper.ForDeclaredMethods()
                            .invokable(AgentShape.DISCOVERY_LAMBDA.and(not(isStatic())),
                                    CallSiteRewriter.replace(TimeUnit.class.getName(), "sleep", "(J)V", DiscoveryRecorder.class, "sleep"))
                            .invokable(named("processWorkItem"),
                                    CallSiteRewriter.observeResult(IB, "checkOutWorkItem",
                                            "(Ljava/lang/String;Ljava/lang/String;)Ljava/lang/String;", DiscoveryRecorder.class, "checkedOut"),
                                    CallSiteRewriter.observeResult(IB, "checkInWorkItem",
                                            "(Ljava/lang/String;Ljava/lang/String;Ljava/lang/String;Ljava/lang/String;)Ljava/lang/String;",
                                            DiscoveryRecorder.class, "checkedIn")));
        }
    }

    static final class CycleAdvice {
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Return boolean processed, @Advice.Thrown Throwable thrown) {
            DiscoveryRecorder.cycleFinished(processed, thrown);
        }
    }

    static final class LoopAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object agent) {
            DiscoveryRecorder.loopStarted(agent);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object agent) {
            DiscoveryRecorder.loopEnded(agent);
        }
    }
}
