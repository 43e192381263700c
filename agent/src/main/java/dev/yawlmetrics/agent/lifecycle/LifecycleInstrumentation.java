package dev.yawlmetrics.agent.lifecycle;

import dev.yawlmetrics.agent.targets.PartyAgentType;
import dev.yawlmetrics.agent.targets.SideStates;
import dev.yawlmetrics.agent.targets.PartyAgentShape;
import dev.yawlmetrics.agent.config.InstrumentationName;
import dev.yawlmetrics.agent.instrumentation.InstrumentationModule;
import dev.yawlmetrics.agent.instrumentation.CallSiteRewriter;
import dev.yawlmetrics.agent.instrumentation.ClassShape;
import dev.yawlmetrics.agent.instrumentation.MethodAdvice;
import dev.yawlmetrics.agent.instrumentation.MethodAdvice.Hook;
import dev.yawlmetrics.agent.instrumentation.TypeInstrumentation;
import dev.yawlmetrics.agent.instrumentation.Weaving;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static dev.yawlmetrics.agent.instrumentation.Members.isInstanceMethod;
import static dev.yawlmetrics.agent.instrumentation.Members.named;
import static dev.yawlmetrics.agent.instrumentation.Members.takesArguments;

/**
 * {@code GenericPartyAgent} lifecycle: creations and failed creations (constructor), every
 * {@code lifecycle.set(...)} call in any instance method (call-site rewrite), completed
 * {@code stop()} calls (exit advice).
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
    public List<TypeInstrumentation> typeInstrumentations() {
        return List.of(new AgentType());
    }

    static final class AgentType extends PartyAgentType {
        @Override
        protected ClassShape.Expect[] expectedMethods() {
            return new ClassShape.Expect[] {
                    ClassShape.method("void start()", named("start").and(takesArguments(0))),
                    ClassShape.method("void stop()", named("stop").and(takesArguments(0)))};
        }

        @Override
        public void transform(Weaving weaving) {
            PartyAgentShape.ensureTracked(weaving);
            weaving.rewrite(PartyAgentShape.CONSTRUCTOR, new ConstructorTracking())
                    .rewrite(isInstanceMethod(), CallSiteRewriter.replace(AtomicReference.class.getName(), "set", "(Ljava/lang/Object;)V",
                            LifecycleRecorder.class, "set"))
                    .advise(named("stop").and(takesArguments(0)), MethodAdvice.builder()
                            .exit(Hook.of(LifecycleRecorder.class, "stopped")).build());
        }
    }
}
