package dev.yawlmetrics.agent.lifecycle;

import dev.yawlmetrics.agent.targets.PartyAgentType;
import dev.yawlmetrics.agent.targets.SideStates;
import dev.yawlmetrics.agent.targets.PartyAgentShape;
import dev.yawlmetrics.agent.config.InstrumentationName;
import dev.yawlmetrics.agent.instrumentation.ContextBound;
import dev.yawlmetrics.agent.instrumentation.InstrumentationModule;
import dev.yawlmetrics.agent.instrumentation.CallSiteRewriter;
import dev.yawlmetrics.agent.instrumentation.MethodAdvice;
import dev.yawlmetrics.agent.instrumentation.MethodAdvice.Hook;
import dev.yawlmetrics.agent.instrumentation.TypeInstrumentation;
import dev.yawlmetrics.agent.instrumentation.Weaving;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static dev.yawlmetrics.agent.instrumentation.Members.isInstanceMethod;
import static dev.yawlmetrics.agent.instrumentation.Members.named;
import static dev.yawlmetrics.agent.instrumentation.Members.returns;
import static dev.yawlmetrics.agent.instrumentation.Members.takesArguments;
import static dev.yawlmetrics.agent.instrumentation.MethodAdvice.Arg.enterValue;
import static dev.yawlmetrics.agent.instrumentation.MethodAdvice.Arg.self;
import static dev.yawlmetrics.agent.instrumentation.MethodAdvice.Arg.thrown;

/**
 * {@code GenericPartyAgent} lifecycle: creations and failed creations (constructor advice), every
 * {@code lifecycle.set(...)} call in any instance method (call-site rewrite), completed
 * {@code stop()} calls of agents not stopped already (advice).
 */
public final class LifecycleInstrumentation implements InstrumentationModule {
    @Override
    public InstrumentationName name() {
        return InstrumentationName.LIFECYCLE;
    }

    @Override
    public List<String> targetClassNames() {
        return List.of(PartyAgentShape.TARGET);
    }

    /** A later attach meets every agent afresh. */
    @Override
    public void onAgentDetached() {
        SideStates.clear();
    }

    @Override
    public List<? extends ContextBound> boundToContext() {
        return List.of(LifecycleRecorder.METRICS);
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return List.of(new AgentType());
    }

    static final class AgentType extends PartyAgentType {
        /**
         * Each rule names its site; together they are the shape check. The constructor's exit
         * hook also runs when it throws (after its super call), the exception rethrown unchanged.
         */
        @Override
        public void transform(Weaving weaving) {
            PartyAgentShape.ensureTracked(weaving);
            weaving.advise(PartyAgentShape.CONSTRUCTOR, MethodAdvice.builder()
                            .exit(Hook.of(LifecycleRecorder.class, "constructorExited"), self(), thrown()).onThrowable().build())
                    .site("GenericPartyAgent(AgentConfiguration)")
                    .rewrite(isInstanceMethod(), CallSiteRewriter.replace(AtomicReference.class.getName(), "set", "(Ljava/lang/Object;)V",
                            LifecycleRecorder.class, "set"))
                    .site("lifecycle.set(state) in an instance method")
                    .advise(named("stop").and(takesArguments(0)).and(returns(void.class)), MethodAdvice.builder()
                            .enterValue(Hook.of(LifecycleRecorder.class, "stopping"), self())
                            .exit(Hook.of(LifecycleRecorder.class, "stopped"), enterValue()).build())
                    .site("void stop()");
        }
    }
}
