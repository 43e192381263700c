package dev.yawlmetrics.agent.lifecycle;

import dev.yawlmetrics.agent.config.InstrumentationName;
import dev.yawlmetrics.agent.instrumentation.InstrumentationModule;
import dev.yawlmetrics.agent.instrumentation.Shapes;
import dev.yawlmetrics.agent.instrumentation.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.isMethod;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

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
                    Shapes.method("void start()", named("start").and(takesArguments(0))),
                    Shapes.method("void stop()", named("stop").and(takesArguments(0))));
        }

        @Override
        public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder, TypeDescription type, ClassLoader loader) {
            return AgentShape.ensureTracked(builder, loader)
                    .visit(ConstructorTracking.wrapper())
                    .visit(new AsmVisitorWrapper.ForDeclaredMethods().invokable(isMethod().and(not(isStatic())),
                            CallSiteRewriter.replace(AtomicReference.class.getName(), "set", "(Ljava/lang/Object;)V",
                                    LifecycleRecorder.class, "set")))
                    .visit(Advice.to(StopAdvice.class).on(named("stop").and(takesArguments(0)).and(not(isConstructor()))));
        }
    }

    static final class StopAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit() {
            LifecycleRecorder.stopped();
        }
    }
}
