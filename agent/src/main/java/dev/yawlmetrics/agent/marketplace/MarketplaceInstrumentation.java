package dev.yawlmetrics.agent.marketplace;

import dev.yawlmetrics.agent.config.InstrumentationName;
import dev.yawlmetrics.agent.instrumentation.ContextBound;
import dev.yawlmetrics.agent.instrumentation.InstrumentationModule;
import dev.yawlmetrics.agent.instrumentation.CallSiteRewriter;
import dev.yawlmetrics.agent.instrumentation.ClassShape;
import dev.yawlmetrics.agent.instrumentation.ClassShape.Member;
import dev.yawlmetrics.agent.instrumentation.MethodAdvice;
import dev.yawlmetrics.agent.instrumentation.MethodAdvice.Hook;
import dev.yawlmetrics.agent.instrumentation.TypeInstrumentation;
import dev.yawlmetrics.agent.instrumentation.Weaving;

import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import static dev.yawlmetrics.agent.instrumentation.Members.isConstructor;
import static dev.yawlmetrics.agent.instrumentation.Members.isPublic;
import static dev.yawlmetrics.agent.instrumentation.Members.isStatic;
import static dev.yawlmetrics.agent.instrumentation.Members.named;
import static dev.yawlmetrics.agent.instrumentation.Members.returns;
import static dev.yawlmetrics.agent.instrumentation.Members.takesArguments;
import static dev.yawlmetrics.agent.instrumentation.MethodAdvice.Arg.constant;
import static dev.yawlmetrics.agent.instrumentation.MethodAdvice.Arg.enterValue;
import static dev.yawlmetrics.agent.instrumentation.MethodAdvice.Arg.returned;
import static dev.yawlmetrics.agent.instrumentation.MethodAdvice.Arg.self;
import static dev.yawlmetrics.agent.instrumentation.MethodAdvice.Arg.thrown;

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
    public List<? extends ContextBound> boundToContext() {
        return List.of(MarketplaceRecorder.METRICS);
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return List.of(new AgentMarketplaceType());
    }

    static final class AgentMarketplaceType implements TypeInstrumentation {
        private static Predicate<Member> instanceMethod(String name) {
            return isPublic().and(isStatic().negate()).and(named(name));
        }

        private static final Predicate<Member> PUBLISH = instanceMethod("publish").and(takesArguments(1));
        private static final Predicate<Member> UNPUBLISH = instanceMethod("unpublish").and(takesArguments(String.class));
        private static final Predicate<Member> HEARTBEAT = instanceMethod("heartbeat").and(takesArguments(2));
        private static final String COMPUTE_IF_PRESENT = "(Ljava/lang/Object;Ljava/util/function/BiFunction;)Ljava/lang/Object;";

        @Override
        public String targetClassName() {
            return TARGET;
        }

        /** The rules below are the shape check: each names its site and must find it (Weaving.site). */
        @Override
        public String checkShape(ClassShape type) {
            return null;
        }

        /**
         * Each public query: two clock reads and one static call with the query's ordinal as a
         * constant in the bytecode. liveCount() and allLiveListings() also hand the engine's own
         * answer to the live-agents gauge. heartbeat(): its computeIfPresent call is replaced by
         * a recorder that makes the same call and sees whether the id was known.
         */
        @Override
        public void transform(Weaving weaving) {
            for (MarketplaceQuery q : MarketplaceQuery.ALL) {
                MethodAdvice advice;
                if (q == MarketplaceQuery.LIVE_COUNT) {
                    advice = MethodAdvice.timed(Hook.of(MarketplaceRecorder.class, "liveCountFinished"),
                            self(), enterValue(), returned(), thrown());
                } else if (q == MarketplaceQuery.ALL_LIVE) {
                    advice = MethodAdvice.timed(Hook.of(MarketplaceRecorder.class, "allLiveFinished"),
                            self(), enterValue(), returned(), thrown());
                } else {
                    advice = MethodAdvice.timed(Hook.of(MarketplaceRecorder.class, "queryFinished"), constant(q.ordinal()), enterValue());
                }
                Predicate<Member> method = instanceMethod(q.methodName);
                if (q == MarketplaceQuery.LIVE_COUNT) {
                    method = method.and(returns(long.class)); // the gauge takes the engine's long
                }
                weaving.advise(method, advice).site("public " + (q == MarketplaceQuery.LIVE_COUNT ? "long " : "") + q.methodName + "(..)");
            }
            weaving.advise(isConstructor(), MethodAdvice.builder().exit(Hook.of(MarketplaceRecorder.class, "created"), self()).build())
                    .site("a constructor")
                    .advise(PUBLISH, MethodAdvice.timed(Hook.of(MarketplaceRecorder.class, "publishFinished"), self(), enterValue(), thrown()))
                    .site("public publish(AgentMarketplaceListing)")
                    .advise(UNPUBLISH, MethodAdvice.timed(Hook.of(MarketplaceRecorder.class, "unpublishFinished"), self(), enterValue(), thrown()))
                    .site("public unpublish(String)")
                    .rewrite(HEARTBEAT, CallSiteRewriter.substitute(Set.of("java/util/Map", "java/util/concurrent/ConcurrentMap",
                                    "java/util/concurrent/ConcurrentHashMap", "java/util/HashMap"), "computeIfPresent", COMPUTE_IF_PRESENT,
                            Hook.of(MarketplaceRecorder.class, "heartbeatComputeIfPresent")))
                    .site("public heartbeat(String, Instant) calling computeIfPresent")
                    .advise(HEARTBEAT, MethodAdvice.timed(Hook.of(MarketplaceRecorder.class, "heartbeatFinished"), self(), enterValue()))
                    .site("public heartbeat(String, Instant)");
        }
    }
}
