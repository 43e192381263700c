package dev.yawlmetrics.agent.marketplace;

import dev.yawlmetrics.agent.config.InstrumentationName;
import dev.yawlmetrics.agent.instrumentation.InstrumentationModule;
import dev.yawlmetrics.agent.instrumentation.Shapes;
import dev.yawlmetrics.agent.instrumentation.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;

import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;

/** {@code AgentMarketplace}: query latency per public query method. */
public final class MarketplaceInstrumentation implements InstrumentationModule {
    static final String TARGET = "org.yawlfoundation.yawl.integration.autonomous.marketplace.AgentMarketplace";

    @Override
    public InstrumentationName name() {
        return InstrumentationName.MARKETPLACE;
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return List.of(new AgentMarketplaceType());
    }

    static final class AgentMarketplaceType implements TypeInstrumentation {
        private static final ElementMatcher.Junction<MethodDescription> QUERIES =
                isPublic().and(not(isStatic())).and(namedOneOf(MarketplaceQuery.methodNames()));

        @Override
        public String targetClassName() {
            return TARGET;
        }

        @Override
        public String checkShape(TypeDescription type) {
            Shapes.Expect[] expectations = new Shapes.Expect[MarketplaceQuery.values().length];
            int i = 0;
            for (MarketplaceQuery q : MarketplaceQuery.values()) {
                expectations[i++] = Shapes.method("public " + q.methodName + "(..)", isPublic().and(named(q.methodName)));
            }
            return Shapes.missing(type, expectations);
        }

        @Override
        public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder, TypeDescription type, ClassLoader loader) {
            return builder.visit(Advice.to(QueryAdvice.class).on(QUERIES));
        }
    }

    /** Inlined into each public query: two clock reads and one call, errors suppressed. */
    static final class QueryAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter() {
            return System.nanoTime();
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter long startNanos, @Advice.Origin("#m") String method) {
            MarketplaceRecorder.queryFinished(method, startNanos);
        }
    }
}
