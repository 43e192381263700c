package dev.yawlmetrics.agent.targets;

import dev.yawlmetrics.agent.instrumentation.ClassShape.Member;

import java.util.function.Predicate;

import static dev.yawlmetrics.agent.instrumentation.Members.nameMatches;
import static dev.yawlmetrics.agent.instrumentation.Members.named;
import static dev.yawlmetrics.agent.instrumentation.Members.takesArguments;

/**
 * {@code EtcdAgentRegistryClient} as both the etcd and the heartbeat instrumentations rely on it:
 * one definition, so the two cannot drift apart.
 */
public final class EtcdRegistryClientShape {
    private EtcdRegistryClientShape() {}

    public static final String TARGET = "org.yawlfoundation.yawl.integration.autonomous.registry.EtcdAgentRegistryClient";

    /**
     * The client's members. A holder class, so that a module referring to {@link #TARGET} in
     * premain loads nothing of the rewriting path.
     */
    public static final class Matchers {
        private Matchers() {}

        /** javac names the renewal lambda per method ({@code lambda$startHeartbeat$0} with javac 25). */
        public static final Predicate<Member> RENEWAL_LAMBDA = nameMatches("lambda\\$startHeartbeat\\$\\d+");
        public static final Predicate<Member> PUBLISH = named("publishToEtcd").and(takesArguments(2));
        public static final Predicate<Member> DELETE = named("deleteFromEtcd").and(takesArguments(1));
        public static final Predicate<Member> FETCH = named("fetchAllFromEtcd").and(takesArguments(0));
    }
}
