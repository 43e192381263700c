package dev.yawlmetrics.agent.marketplace;

import dev.yawlmetrics.agent.config.InstrumentationName;
import dev.yawlmetrics.agent.instrumentation.InstrumentationModule;
import dev.yawlmetrics.agent.instrumentation.Shapes;
import dev.yawlmetrics.agent.instrumentation.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.MemberSubstitution;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * {@code AgentMarketplace} (both versions, see yawl-targets.md §2): query latency per public
 * query, liveness-filter duration for the queries that consume {@code liveListings()}, the
 * engine's own live counts for the gauge, index-maintenance timing and publish / heartbeat /
 * unpublish outcomes, and (weakly) the instances for the size gauges.
 */
public final class MarketplaceInstrumentation implements InstrumentationModule {
    static final String TARGET = "org.yawlfoundation.yawl.integration.autonomous.marketplace.AgentMarketplace";

    @Override
    public InstrumentationName name() {
        return InstrumentationName.MARKETPLACE;
    }

    @Override
    public List<String> targetClassNames() {
        return List.of(TARGET);
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return List.of(new AgentMarketplaceType());
    }

    /** Bound, per advised query method, to its {@link MarketplaceQuery} ordinal (a constant in the bytecode). */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.PARAMETER)
    @interface QueryId {}

    static final class AgentMarketplaceType implements TypeInstrumentation {
        // Built here, not on the module: the module is instantiated in premain, which must not load Byte Buddy.
        static final MethodDescription HEARTBEAT_COMPUTE;

        static {
            try {
                HEARTBEAT_COMPUTE = new MethodDescription.ForLoadedMethod(MarketplaceRecorder.class.getMethod(
                        "heartbeatComputeIfPresent", Map.class, Object.class, BiFunction.class));
            } catch (NoSuchMethodException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private static ElementMatcher.Junction<MethodDescription> instanceMethod(String name) {
            return isPublic().and(not(isStatic())).and(named(name));
        }

        private static final ElementMatcher.Junction<MethodDescription> PUBLISH = instanceMethod("publish").and(takesArguments(1));
        private static final ElementMatcher.Junction<MethodDescription> UNPUBLISH =
                instanceMethod("unpublish").and(takesArguments(String.class));
        private static final ElementMatcher.Junction<MethodDescription> HEARTBEAT =
                instanceMethod("heartbeat").and(takesArguments(2));

        @Override
        public String targetClassName() {
            return TARGET;
        }

        @Override
        public String checkShape(TypeDescription type) {
            MarketplaceQuery[] queries = MarketplaceQuery.ALL;
            Shapes.Expect[] expectations = new Shapes.Expect[queries.length + 3];
            int i = 0;
            for (MarketplaceQuery q : queries) {
                ElementMatcher.Junction<MethodDescription> m = instanceMethod(q.methodName);
                if (q == MarketplaceQuery.LIVE_COUNT) {
                    m = m.and(returns(long.class));
                }
                expectations[i++] = Shapes.method("public " + q.methodName + "(..)", m);
            }
            expectations[i++] = Shapes.method("public publish(AgentMarketplaceListing)", PUBLISH);
            expectations[i++] = Shapes.method("public unpublish(String)", UNPUBLISH);
            expectations[i] = Shapes.method("public heartbeat(String, Instant)", HEARTBEAT);
            return Shapes.missing(type, expectations);
        }

        @Override
        public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder, TypeDescription type, ClassLoader loader) {
            for (MarketplaceQuery q : MarketplaceQuery.ALL) {
                Class<?> advice = q == MarketplaceQuery.LIVE_COUNT ? LiveCountAdvice.class
                        : q == MarketplaceQuery.ALL_LIVE ? AllLiveAdvice.class : QueryAdvice.class;
                builder = builder.visit(Advice.withCustomMapping().bind(QueryId.class, q.ordinal())
                        .to(advice).on(instanceMethod(q.methodName)));
            }
            builder = builder
                    .visit(Advice.to(ConstructorAdvice.class).on(isConstructor()))
                    .visit(Advice.to(PublishAdvice.class).on(PUBLISH))
                    .visit(Advice.to(UnpublishAdvice.class).on(UNPUBLISH))
                    .visit(MemberSubstitution.relaxed()
                            .method(named("computeIfPresent").and(takesArguments(2)))
                            .replaceWith(HEARTBEAT_COMPUTE)
                            .on(HEARTBEAT))
                    .visit(Advice.to(HeartbeatAdvice.class).on(HEARTBEAT));
            return builder;
        }
    }

    /** Inlined into each public query: two clock reads and one static call with a constant id. */
    static final class QueryAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter() {
            return System.nanoTime();
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter long startNanos, @QueryId int query) {
            MarketplaceRecorder.queryFinished(query, startNanos);
        }
    }

    /** {@code long liveCount()}: also hands the engine's own result to the live-agents gauge. */
    static final class LiveCountAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter() {
            return System.nanoTime();
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object self, @Advice.Enter long startNanos, @Advice.Return long count,
                         @Advice.Thrown Throwable thrown) {
            MarketplaceRecorder.liveCountFinished(self, startNanos, count, thrown);
        }
    }

    /** {@code allLiveListings()}: the size of its result is also a fresh live count. */
    static final class AllLiveAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter() {
            return System.nanoTime();
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object self, @Advice.Enter long startNanos, @Advice.Return Object result,
                         @Advice.Thrown Throwable thrown) {
            MarketplaceRecorder.allLiveFinished(self, startNanos, result, thrown);
        }
    }

    static final class ConstructorAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object self) {
            MarketplaceRecorder.created(self);
        }
    }

    static final class PublishAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter() {
            return System.nanoTime();
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object self, @Advice.Enter long startNanos, @Advice.Thrown Throwable thrown) {
            MarketplaceRecorder.publishFinished(self, startNanos, thrown);
        }
    }

    static final class UnpublishAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter() {
            return System.nanoTime();
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object self, @Advice.Enter long startNanos, @Advice.Thrown Throwable thrown) {
            MarketplaceRecorder.unpublishFinished(self, startNanos, thrown);
        }
    }

    static final class HeartbeatAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter() {
            return System.nanoTime();
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object self, @Advice.Enter long startNanos) {
            MarketplaceRecorder.heartbeatFinished(self, startNanos);
        }
    }
}
