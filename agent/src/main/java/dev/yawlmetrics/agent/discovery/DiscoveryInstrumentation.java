package dev.yawlmetrics.agent.discovery;

import dev.yawlmetrics.agent.config.InstrumentationName;
import dev.yawlmetrics.agent.core.StartMode;
import dev.yawlmetrics.agent.instrumentation.ContextBound;
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
 * the engine client's check-out/check-in calls inside {@code processWorkItem} (routed through
 * two static wrappers the weaver generates, {@link Weaving#wrapCalls}, whose exit hooks see the
 * client's answer or its exception, which is rethrown unchanged).
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
    public List<? extends ContextBound> boundToContext() {
        return List.of(DiscoveryRecorder.METRICS);
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return List.of(new AgentType());
    }

    static final class AgentType extends PartyAgentType {
        static final Predicate<Member> CYCLE = named("runDiscoveryCycle").and(takesArguments(0)).and(returns(boolean.class));
        static final Predicate<Member> LOOP = PartyAgentShape.DISCOVERY_LAMBDA.and(isStatic().negate());
        static final Predicate<Member> STOP = named("stop").and(takesArguments(0));
        static final Predicate<Member> PROCESS_WORK_ITEM = named("processWorkItem").and(takesArguments(1));

        /** Each rule names its site; together they are the shape check (with the fields, PartyAgentShape). */
        @Override
        public void transform(Weaving weaving) {
            PartyAgentShape.ensureTracked(weaving);
            if (StartMode.isLate()) {
                transformLate(weaving);
                return;
            }
            weaving.advise(CYCLE, MethodAdvice.builder()
                            .exit(Hook.of(DiscoveryRecorder.class, "cycleFinished"), returned(), thrown()).onThrowable().build())
                    .site("boolean runDiscoveryCycle()")
                    .advise(LOOP, MethodAdvice.builder()
                            .enter(Hook.of(DiscoveryRecorder.class, "loopStarted"), self())
                            .exit(Hook.of(DiscoveryRecorder.class, "loopEnded"), self()).onThrowable().build())
                    .site("instance lambda$startDiscoveryLoop$<n>()")
                    .rewrite(LOOP, CallSiteRewriter.replace(TimeUnit.class.getName(), "sleep", "(J)V", DiscoveryRecorder.class, "sleep"))
                    .site("TimeUnit.sleep(long) in the discovery loop");
            ClassShape client = clientType(weaving);
            if (client == null) {
                return; // client drifted: no check-out/check-in counters, the rest still works
            }
            // The client's answer or exception goes to the recorder; the exception reaches the engine unchanged.
            weaving.wrapCalls(PROCESS_WORK_ITEM, client, CHECK_OUT, CHECK_OUT_DESC, WRAP_CHECK_OUT, MethodAdvice.builder()
                            .exit(Hook.of(DiscoveryRecorder.class, "checkedOut"), returned(), thrown()).onThrowable().build())
                    .site("processWorkItem(WorkItemRecord) calling checkOutWorkItem(String,String)")
                    .wrapCalls(PROCESS_WORK_ITEM, client, CHECK_IN, CHECK_IN_DESC, WRAP_CHECK_IN, MethodAdvice.builder()
                            .exit(Hook.of(DiscoveryRecorder.class, "checkedIn"), returned(), thrown()).onThrowable().build())
                    .site("processWorkItem(WorkItemRecord) calling checkInWorkItem(String,String,String,String)");
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
                    .site("boolean runDiscoveryCycle()")
                    .advise(STOP, MethodAdvice.builder().exit(Hook.of(DiscoveryRecorder.class, "agentStopped"), self()).build())
                    .site("void stop()");
            ClassShape client = clientType(weaving);
            if (client == null) {
                return;
            }
            Set<String> owner = Set.of(client.internalName());
            weaving.rewrite(PROCESS_WORK_ITEM, CallSiteRewriter.substitute(owner, CHECK_OUT, CHECK_OUT_DESC,
                            Hook.of(DiscoveryRecorder.class, "checkOutWorkItem")))
                    .site("processWorkItem(WorkItemRecord) calling checkOutWorkItem(String,String)")
                    .rewrite(PROCESS_WORK_ITEM, CallSiteRewriter.substitute(owner, CHECK_IN, CHECK_IN_DESC,
                            Hook.of(DiscoveryRecorder.class, "checkInWorkItem")))
                    .site("processWorkItem(WorkItemRecord) calling checkInWorkItem(String,String,String,String)");
        }

        private static Predicate<Member> clientMethod(String name, String descriptor) {
            return named(name).and(hasDescriptor(descriptor)).and(isStatic().negate());
        }

        /**
         * The engine client's class file, found through the type of the agent's {@code ibClient}
         * field, when it declares both calls; null when drifted.
         */
        private static ClassShape clientType(Weaving weaving) {
            Member f = weaving.type().field("ibClient");
            if (f == null || !f.descriptor.equals("L" + IB.replace('.', '/') + ";")) {
                return null;
            }
            ClassShape client = ClassShape.find(weaving.loader(), IB);
            if (client == null || !client.declaresMethod(clientMethod(CHECK_OUT, CHECK_OUT_DESC))
                    || !client.declaresMethod(clientMethod(CHECK_IN, CHECK_IN_DESC))) {
                return null;
            }
            return client;
        }
    }

    private static final String CHECK_OUT = "checkOutWorkItem";
    private static final String CHECK_OUT_DESC = "(Ljava/lang/String;Ljava/lang/String;)Ljava/lang/String;";
    private static final String CHECK_IN = "checkInWorkItem";
    private static final String CHECK_IN_DESC = "(Ljava/lang/String;Ljava/lang/String;Ljava/lang/String;Ljava/lang/String;)Ljava/lang/String;";
    private static final String WRAP_CHECK_OUT = "yawlMetrics$checkOutWorkItem";
    private static final String WRAP_CHECK_IN = "yawlMetrics$checkInWorkItem";
}
