package dev.yawlmetrics.agent.discovery;

import dev.yawlmetrics.agent.config.InstrumentationName;
import dev.yawlmetrics.agent.core.StartMode;
import dev.yawlmetrics.agent.instrumentation.InstrumentationModule;
import dev.yawlmetrics.agent.instrumentation.CallSiteRewriter;
import dev.yawlmetrics.agent.instrumentation.ClassShape;
import dev.yawlmetrics.agent.instrumentation.ClassShape.Member;
import dev.yawlmetrics.agent.instrumentation.MethodAdvice;
import dev.yawlmetrics.agent.instrumentation.MethodAdvice.Hook;
import dev.yawlmetrics.agent.targets.PartyAgentType;
import dev.yawlmetrics.agent.instrumentation.TypeInstrumentation;
import dev.yawlmetrics.agent.instrumentation.Weaving;
import dev.yawlmetrics.agent.targets.PartyAgentShape;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static dev.yawlmetrics.agent.instrumentation.Members.hasDescriptor;
import static dev.yawlmetrics.agent.instrumentation.Members.isStatic;
import static dev.yawlmetrics.agent.instrumentation.Members.named;
import static dev.yawlmetrics.agent.instrumentation.Members.returns;
import static dev.yawlmetrics.agent.instrumentation.Members.takesArguments;
import static dev.yawlmetrics.agent.instrumentation.MethodAdvice.Arg.returned;
import static dev.yawlmetrics.agent.instrumentation.MethodAdvice.Arg.self;
import static dev.yawlmetrics.agent.instrumentation.MethodAdvice.Arg.thrown;

/**
 * {@code GenericPartyAgent} discovery and backoff: each {@code runDiscoveryCycle()} (exit advice),
 * the discovery loop lambda's start and end (advice), its {@code TimeUnit.sleep(long)} call (call
 * site replaced: records the requested sleep and the agent's backoff fields, then sleeps), and
 * the engine client's check-out/check-in calls inside {@code processWorkItem} (redirected to two
 * generated static wrappers that call the client and see its answer or its exception, which
 * they rethrow unchanged).
 */
public final class DiscoveryInstrumentation implements InstrumentationModule {
    private static final String IB = PartyAgentShape.IB_CLIENT;

    @Override
    public InstrumentationName name() {
        return InstrumentationName.DISCOVERY;
    }

    @Override
    public List<String> targetClassNames() {
        return List.of(PartyAgentShape.TARGET);
    }

    /** A later attach meets every agent afresh. */
    @Override
    public void onAgentDetached() {
        dev.yawlmetrics.agent.targets.SideStates.clear();
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return List.of(new AgentType());
    }

    static final class AgentType extends PartyAgentType {
        static final Predicate<Member> CYCLE = named("runDiscoveryCycle").and(takesArguments(0)).and(returns(boolean.class));
        static final Predicate<Member> LOOP = PartyAgentShape.DISCOVERY_LAMBDA.and(isStatic().negate());
        static final Predicate<Member> STOP = named("stop").and(takesArguments(0));

        @Override
        protected ClassShape.Expect[] expectedMethods() {
            return new ClassShape.Expect[] {
                    ClassShape.method("boolean runDiscoveryCycle()", CYCLE),
                    ClassShape.method("instance lambda$startDiscoveryLoop$N()", LOOP),
                    ClassShape.method("processWorkItem(WorkItemRecord)", named("processWorkItem").and(takesArguments(1))),
                    ClassShape.method("void stop()", STOP)};
        }

        @Override
        public void transform(Weaving weaving) {
            if (StartMode.isLate()) {
                transformLate(weaving);
                return;
            }
            PartyAgentShape.ensureTracked(weaving);
            weaving.advise(CYCLE, MethodAdvice.builder()
                            .exit(Hook.of(DiscoveryRecorder.class, "cycleFinished"), returned(), thrown()).onThrowable().build())
                    .advise(LOOP, MethodAdvice.builder()
                            .enter(Hook.of(DiscoveryRecorder.class, "loopStarted"), self())
                            .exit(Hook.of(DiscoveryRecorder.class, "loopEnded"), self()).onThrowable().build())
                    .rewrite(LOOP, CallSiteRewriter.replace(TimeUnit.class.getName(), "sleep", "(J)V", DiscoveryRecorder.class, "sleep"));
            ClassShape client = clientType(weaving);
            if (client == null || !client.declaresMethod(clientMethod(CHECK_OUT, CHECK_OUT_DESC))
                    || !client.declaresMethod(clientMethod(CHECK_IN, CHECK_IN_DESC))) {
                return; // client drifted: no check-out/check-in counters, the rest still works
            }
            String self = weaving.type().internalName();
            String clientName = client.internalName();
            boolean itf = client.isInterface();
            weaving.addMembers(cv -> {
                wrapper(cv, clientName, itf, CHECK_OUT, CHECK_OUT_DESC, WRAP_CHECK_OUT, "checkedOut");
                wrapper(cv, clientName, itf, CHECK_IN, CHECK_IN_DESC, WRAP_CHECK_IN, "checkedIn");
            }).rewrite(named("processWorkItem"), CallSiteRewriter.redirect(clientName, CHECK_OUT, CHECK_OUT_DESC, self, WRAP_CHECK_OUT))
                    .rewrite(named("processWorkItem"), CallSiteRewriter.redirect(clientName, CHECK_IN, CHECK_IN_DESC, self, WRAP_CHECK_IN));
        }

        /**
         * After a late attach the class keeps its shape (no added fields or methods) and running
         * discovery loops keep the engine's original loop code (their frame never returns), so
         * everything hangs off methods called anew: each cycle's entry and exit, stop(), and the
         * client's calls inside processWorkItem (replaced by static calls of the agent).
         */
        private static void transformLate(Weaving weaving) {
            weaving.advise(CYCLE, MethodAdvice.builder()
                            .enter(Hook.of(DiscoveryRecorder.class, "cycleStarting"), self())
                            .exit(Hook.of(DiscoveryRecorder.class, "cycleFinished"), returned(), thrown()).onThrowable().build())
                    .advise(STOP, MethodAdvice.builder().exit(Hook.of(DiscoveryRecorder.class, "agentStopped"), self()).build());
            ClassShape client = clientType(weaving);
            if (client == null || !client.declaresMethod(clientMethod(CHECK_OUT, CHECK_OUT_DESC))
                    || !client.declaresMethod(clientMethod(CHECK_IN, CHECK_IN_DESC))) {
                return;
            }
            Set<String> owner = Set.of(client.internalName());
            weaving.rewrite(named("processWorkItem"), CallSiteRewriter.substitute(owner, CHECK_OUT, CHECK_OUT_DESC,
                            Hook.of(DiscoveryRecorder.class, "checkOutWorkItem")))
                    .rewrite(named("processWorkItem"), CallSiteRewriter.substitute(owner, CHECK_IN, CHECK_IN_DESC,
                            Hook.of(DiscoveryRecorder.class, "checkInWorkItem")));
        }

        private static Predicate<Member> clientMethod(String name, String descriptor) {
            return named(name).and(hasDescriptor(descriptor)).and(isStatic().negate());
        }

        /** The engine client's class file, found through the type of the agent's {@code ibClient} field; null when drifted. */
        private static ClassShape clientType(Weaving weaving) {
            Member f = weaving.type().field("ibClient");
            if (f == null || !f.descriptor.equals("L" + IB.replace('.', '/') + ";")) {
                return null;
            }
            return ClassShape.find(weaving.loader(), IB);
        }

        /**
         * {@code private static synthetic String name(Client c, String... args)}: calls the client,
         * hands its answer (or its exception, rethrown unchanged) to the recorder.
         */
        private static void wrapper(ClassVisitor cv, String client, boolean itf, String method, String descriptor,
                                    String name, String recorder) {
            Type[] args = Type.getArgumentTypes(descriptor);
            StringBuilder d = new StringBuilder("(L").append(client).append(';');
            for (Type a : args) {
                d.append(a.getDescriptor());
            }
            d.append(")Ljava/lang/String;");
            String recorderOwner = Type.getInternalName(DiscoveryRecorder.class);
            int result = args.length + 1;
            MethodVisitor mv = cv.visitMethod(Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC | Opcodes.ACC_SYNTHETIC, name, d.toString(), null, null);
            Label start = new Label();
            Label end = new Label();
            Label handler = new Label();
            mv.visitCode();
            mv.visitTryCatchBlock(start, end, handler, null);
            mv.visitLabel(start);
            for (int i = 0; i <= args.length; i++) {
                mv.visitVarInsn(Opcodes.ALOAD, i);
            }
            mv.visitMethodInsn(itf ? Opcodes.INVOKEINTERFACE : Opcodes.INVOKEVIRTUAL, client, method, descriptor, itf);
            mv.visitLabel(end);
            mv.visitVarInsn(Opcodes.ASTORE, result);
            mv.visitVarInsn(Opcodes.ALOAD, result);
            mv.visitInsn(Opcodes.ACONST_NULL);
            mv.visitMethodInsn(Opcodes.INVOKESTATIC, recorderOwner, recorder, "(Ljava/lang/String;Ljava/lang/Throwable;)V", false);
            mv.visitVarInsn(Opcodes.ALOAD, result);
            mv.visitInsn(Opcodes.ARETURN);
            mv.visitLabel(handler);
            Object[] locals = new Object[args.length + 1];
            locals[0] = client;
            for (int i = 0; i < args.length; i++) {
                locals[i + 1] = args[i].getInternalName();
            }
            mv.visitFrame(Opcodes.F_NEW, locals.length, locals, 1, new Object[] {"java/lang/Throwable"});
            mv.visitVarInsn(Opcodes.ASTORE, result);
            mv.visitInsn(Opcodes.ACONST_NULL);
            mv.visitVarInsn(Opcodes.ALOAD, result);
            mv.visitMethodInsn(Opcodes.INVOKESTATIC, recorderOwner, recorder, "(Ljava/lang/String;Ljava/lang/Throwable;)V", false);
            mv.visitVarInsn(Opcodes.ALOAD, result);
            mv.visitInsn(Opcodes.ATHROW);
            mv.visitMaxs(0, 0);
            mv.visitEnd();
        }
    }

    private static final String CHECK_OUT = "checkOutWorkItem";
    private static final String CHECK_OUT_DESC = "(Ljava/lang/String;Ljava/lang/String;)Ljava/lang/String;";
    private static final String CHECK_IN = "checkInWorkItem";
    private static final String CHECK_IN_DESC = "(Ljava/lang/String;Ljava/lang/String;Ljava/lang/String;Ljava/lang/String;)Ljava/lang/String;";
    private static final String WRAP_CHECK_OUT = "yawlMetrics$checkOutWorkItem";
    private static final String WRAP_CHECK_IN = "yawlMetrics$checkInWorkItem";
}
