package dev.yawlmetrics.agent.discovery;

import dev.yawlmetrics.agent.config.InstrumentationName;
import dev.yawlmetrics.agent.instrumentation.InstrumentationModule;
import dev.yawlmetrics.agent.instrumentation.Shapes;
import dev.yawlmetrics.agent.instrumentation.TypeInstrumentation;
import dev.yawlmetrics.agent.lifecycle.AgentShape;
import dev.yawlmetrics.agent.lifecycle.CallSiteRewriter;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.field.FieldDescription;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.method.MethodList;
import net.bytebuddy.description.modifier.Ownership;
import net.bytebuddy.description.modifier.SyntheticState;
import net.bytebuddy.description.modifier.Visibility;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.MethodCall;
import net.bytebuddy.dynamic.DynamicType;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static net.bytebuddy.matcher.ElementMatchers.hasDescriptor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * {@code GenericPartyAgent} discovery and backoff: each {@code runDiscoveryCycle()} (exit advice),
 * the discovery loop lambda's start and end (advice), its {@code TimeUnit.sleep(long)} call (call
 * site replaced: records the requested sleep and the agent's backoff fields, then sleeps), and
 * the engine client's check-out/check-in calls inside {@code processWorkItem} (redirected to two
 * generated static wrappers that call the client and see its answer or its exception).
 */
public final class DiscoveryInstrumentation implements InstrumentationModule {
    private static final String IB = AgentShape.IB_CLIENT;

    @Override
    public InstrumentationName name() {
        return InstrumentationName.DISCOVERY;
    }

    @Override
    public List<String> targetClassNames() {
        return List.of(AgentShape.TARGET);
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
            DynamicType.Builder<?> b = AgentShape.ensureTracked(builder, loader)
                    .visit(Advice.to(CycleAdvice.class).on(named("runDiscoveryCycle").and(takesArguments(0)).and(returns(boolean.class))))
                    .visit(Advice.to(LoopAdvice.class).on(AgentShape.DISCOVERY_LAMBDA.and(not(isStatic()))))
                    .visit(new AsmVisitorWrapper.ForDeclaredMethods()
                            .invokable(AgentShape.DISCOVERY_LAMBDA.and(not(isStatic())),
                                    CallSiteRewriter.replace(TimeUnit.class.getName(), "sleep", "(J)V", DiscoveryRecorder.class, "sleep")));
            MethodDescription checkOut = clientMethod(type, CHECK_OUT, CHECK_OUT_DESC);
            MethodDescription checkIn = clientMethod(type, CHECK_IN, CHECK_IN_DESC);
            if (checkOut == null || checkIn == null) {
                return b; // client drifted: no check-out/check-in counters, the rest still works
            }
            TypeDescription client = checkOut.getDeclaringType().asErasure();
            return b
                    .defineMethod(WRAP_CHECK_OUT, String.class, Visibility.PRIVATE, Ownership.STATIC, SyntheticState.SYNTHETIC)
                    .withParameters(client, TypeDescription.ForLoadedType.of(String.class), TypeDescription.ForLoadedType.of(String.class))
                    .intercept(Advice.to(CheckOutAdvice.class).wrap(MethodCall.invoke(checkOut).onArgument(0).withArgument(1, 2)))
                    .defineMethod(WRAP_CHECK_IN, String.class, Visibility.PRIVATE, Ownership.STATIC, SyntheticState.SYNTHETIC)
                    .withParameters(client, TypeDescription.ForLoadedType.of(String.class), TypeDescription.ForLoadedType.of(String.class),
                            TypeDescription.ForLoadedType.of(String.class), TypeDescription.ForLoadedType.of(String.class))
                    .intercept(Advice.to(CheckInAdvice.class).wrap(MethodCall.invoke(checkIn).onArgument(0).withArgument(1, 2, 3, 4)))
                    .visit(new AsmVisitorWrapper.ForDeclaredMethods()
                            .invokable(named("processWorkItem"),
                                    CallSiteRewriter.redirect(client.getName(), CHECK_OUT, CHECK_OUT_DESC, type.getInternalName(), WRAP_CHECK_OUT),
                                    CallSiteRewriter.redirect(client.getName(), CHECK_IN, CHECK_IN_DESC, type.getInternalName(), WRAP_CHECK_IN)));
        }

        /** The engine client's method, found through the type of the agent's {@code ibClient} field; null when drifted. */
        private static MethodDescription clientMethod(TypeDescription type, String name, String descriptor) {
            try {
                for (FieldDescription.InDefinedShape f : type.getDeclaredFields()) {
                    if (f.getName().equals("ibClient") && f.getType().asErasure().getName().equals(IB)) {
                        MethodList<MethodDescription.InDefinedShape> m = f.getType().asErasure().getDeclaredMethods()
                                .filter(named(name).and(hasDescriptor(descriptor)).and(not(isStatic())));
                        return m.size() == 1 ? m.getOnly() : null;
                    }
                }
            } catch (RuntimeException e) {
                return null; // client class not resolvable from the engine's loader
            }
            return null;
        }
    }

    private static final String CHECK_OUT = "checkOutWorkItem";
    private static final String CHECK_OUT_DESC = "(Ljava/lang/String;Ljava/lang/String;)Ljava/lang/String;";
    private static final String CHECK_IN = "checkInWorkItem";
    private static final String CHECK_IN_DESC = "(Ljava/lang/String;Ljava/lang/String;Ljava/lang/String;Ljava/lang/String;)Ljava/lang/String;";
    private static final String WRAP_CHECK_OUT = "yawlMetrics$checkOutWorkItem";
    private static final String WRAP_CHECK_IN = "yawlMetrics$checkInWorkItem";

    /** Around the generated wrapper of checkOutWorkItem: the answer, or the exception it threw (rethrown unchanged). */
    static final class CheckOutAdvice {
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Return String answer, @Advice.Thrown Throwable thrown) {
            DiscoveryRecorder.checkedOut(answer, thrown);
        }
    }

    static final class CheckInAdvice {
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Return String answer, @Advice.Thrown Throwable thrown) {
            DiscoveryRecorder.checkedIn(answer, thrown);
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
