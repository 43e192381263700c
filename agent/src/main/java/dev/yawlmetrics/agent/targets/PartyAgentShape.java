package dev.yawlmetrics.agent.targets;

import dev.yawlmetrics.agent.core.StartMode;
import dev.yawlmetrics.agent.instrumentation.ClassShape.Member;
import dev.yawlmetrics.agent.instrumentation.Weaving;
import net.bytebuddy.jar.asm.Type;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import static dev.yawlmetrics.agent.instrumentation.Members.firstArgumentNamed;
import static dev.yawlmetrics.agent.instrumentation.Members.isConstructor;
import static dev.yawlmetrics.agent.instrumentation.Members.nameStartsWith;
import static dev.yawlmetrics.agent.instrumentation.Members.takesArguments;

/**
 * The shape of {@code GenericPartyAgent} that both the lifecycle and the discovery
 * instrumentations rely on, and the load-time addition of {@link TrackedPartyAgent} (fields plus
 * accessors). Shared because both modules target the same class and either may run alone.
 */
public final class PartyAgentShape {
    private PartyAgentShape() {}

    public static final String TARGET = "org.yawlfoundation.yawl.integration.autonomous.GenericPartyAgent";
    public static final String CONFIGURATION = "org.yawlfoundation.yawl.integration.autonomous.AgentConfiguration";
    public static final String IB_CLIENT = "org.yawlfoundation.yawl.engine.interfce.interfaceB.InterfaceB_EnvironmentBasedClient";

    static final String F_SINCE = "yawlMetrics$stateSince";
    static final String F_EMPTIES = "yawlMetrics$empties";
    static final String F_BACKOFF = "yawlMetrics$backoff";

    public static final Predicate<Member> CONSTRUCTOR =
            isConstructor().and(takesArguments(1)).and(firstArgumentNamed(CONFIGURATION));
    public static final Predicate<Member> DISCOVERY_LAMBDA =
            nameStartsWith("lambda$startDiscoveryLoop$").and(takesArguments(0));

    private static final String TRACKED = Type.getInternalName(TrackedPartyAgent.class);
    private static final String ATOMIC_REFERENCE = Type.getDescriptor(AtomicReference.class);

    /** The engine's fields the hooks read: name, then exact type. */
    private static final String[][] ENGINE_FIELDS = {
            {"lifecycle", ATOMIC_REFERENCE}, {"emptyResultsCount", "I"}, {"backoffMs", "J"}, {"baseIntervalMs", "J"}};

    /**
     * Declares the per-agent state both modules need. At first load: {@link TrackedPartyAgent},
     * its three added fields with accessors and getters of the engine's fields, once, whichever
     * module comes first. After a late attach the class keeps its shape (the state lives in
     * {@link SideStates}, the engine's fields are read through method handles), so the fields are
     * only declared as read. Either way a missing or retyped engine field, or a name the class
     * already uses, leaves the module not applied (the weaver's checks, not a list here).
     * The gate leaves the class unchanged when the engine's class loader cannot see the agent's
     * classes: a class implementing an invisible interface would not load.
     */
    public static void ensureTracked(Weaving weaving) {
        if (StartMode.isLate()) {
            for (String[] f : ENGINE_FIELDS) {
                weaving.readsField(f[0], f[1]);
            }
            return;
        }
        if (weaving.implementsInterface(TRACKED)) {
            return;
        }
        weaving.implement(TRACKED).calls(TRACKED)
                .addField(F_SINCE, "J")
                .addField(F_EMPTIES, "I")
                .addField(F_BACKOFF, "I");
        for (String[] f : ENGINE_FIELDS) {
            weaving.addGetter("yawlMetrics$" + f[0], f[0], f[1]);
        }
    }
}
