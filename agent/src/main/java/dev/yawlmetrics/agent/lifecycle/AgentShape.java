package dev.yawlmetrics.agent.lifecycle;

import net.bytebuddy.description.field.FieldDescription;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.modifier.SyntheticState;
import net.bytebuddy.description.modifier.Visibility;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.implementation.FieldAccessor;
import net.bytebuddy.matcher.ElementMatcher;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * The shape of {@code GenericPartyAgent} that both the lifecycle and the discovery
 * instrumentations rely on, and the load-time addition of {@link TrackedAgent} (fields plus
 * accessors). Shared because both modules target the same class and either may run alone.
 */
public final class AgentShape {
    private AgentShape() {}

    public static final String TARGET = "org.yawlfoundation.yawl.integration.autonomous.GenericPartyAgent";
    public static final String CONFIGURATION = "org.yawlfoundation.yawl.integration.autonomous.AgentConfiguration";
    public static final String IB_CLIENT = "org.yawlfoundation.yawl.engine.interfce.interfaceB.InterfaceB_EnvironmentBasedClient";

    static final String F_SINCE = "yawlMetrics$stateSince";
    static final String F_EMPTIES = "yawlMetrics$empties";
    static final String F_BACKOFF = "yawlMetrics$backoff";

    public static final ElementMatcher.Junction<MethodDescription> CONSTRUCTOR =
            isConstructor().and(takesArguments(1)).and(takesArgument(0, named(CONFIGURATION)));
    public static final ElementMatcher.Junction<MethodDescription> DISCOVERY_LAMBDA =
            nameStartsWith("lambda$startDiscoveryLoop$").and(takesArguments(0));

    /** @return the missing fields, empty when all engine fields the accessors read exist with the expected types. */
    public static List<String> missingFields(TypeDescription type) {
        List<String> missing = new ArrayList<>();
        expectField(type, "lifecycle", AtomicReference.class.getName(), missing);
        expectField(type, "emptyResultsCount", "int", missing);
        expectField(type, "backoffMs", "long", missing);
        expectField(type, "baseIntervalMs", "long", missing);
        if (type.getDeclaredMethods().filter(CONSTRUCTOR).isEmpty()) {
            missing.add("constructor(AgentConfiguration)");
        }
        return missing;
    }

    private static void expectField(TypeDescription type, String name, String typeName, List<String> missing) {
        boolean found = false;
        for (FieldDescription.InDefinedShape f : type.getDeclaredFields()) {
            if (f.getName().equals(name) && !f.isStatic() && f.getType().asErasure().getName().equals(typeName)) {
                found = true;
            }
        }
        if (!found) {
            missing.add(typeName + " " + name);
        }
    }

    /**
     * Adds the {@link TrackedAgent} fields and accessors once, whichever module comes first.
     * Fails (and so leaves the class unchanged, logged by the gate) when the engine's class loader
     * cannot see the agent's classes: a class implementing an invisible interface would not load.
     */
    public static DynamicType.Builder<?> ensureTracked(DynamicType.Builder<?> builder, ClassLoader loader) {
        for (TypeDescription.Generic i : builder.toTypeDescription().getInterfaces()) {
            if (i.asErasure().represents(TrackedAgent.class)) {
                return builder;
            }
        }
        requireVisible(loader);
        return builder.implement(TrackedAgent.class)
                .defineField(F_SINCE, long.class, Visibility.PRIVATE, SyntheticState.SYNTHETIC)
                .defineField(F_EMPTIES, int.class, Visibility.PRIVATE, SyntheticState.SYNTHETIC)
                .defineField(F_BACKOFF, int.class, Visibility.PRIVATE, SyntheticState.SYNTHETIC)
                .defineMethod(F_SINCE, long.class, Visibility.PUBLIC).intercept(FieldAccessor.ofField(F_SINCE))
                .defineMethod(F_SINCE, void.class, Visibility.PUBLIC).withParameters(long.class).intercept(FieldAccessor.ofField(F_SINCE))
                .defineMethod(F_EMPTIES, int.class, Visibility.PUBLIC).intercept(FieldAccessor.ofField(F_EMPTIES))
                .defineMethod(F_EMPTIES, void.class, Visibility.PUBLIC).withParameters(int.class).intercept(FieldAccessor.ofField(F_EMPTIES))
                .defineMethod(F_BACKOFF, int.class, Visibility.PUBLIC).intercept(FieldAccessor.ofField(F_BACKOFF))
                .defineMethod(F_BACKOFF, void.class, Visibility.PUBLIC).withParameters(int.class).intercept(FieldAccessor.ofField(F_BACKOFF))
                .defineMethod("yawlMetrics$lifecycle", AtomicReference.class, Visibility.PUBLIC).intercept(FieldAccessor.ofField("lifecycle"))
                .defineMethod("yawlMetrics$emptyResultsCount", int.class, Visibility.PUBLIC).intercept(FieldAccessor.ofField("emptyResultsCount"))
                .defineMethod("yawlMetrics$backoffMs", long.class, Visibility.PUBLIC).intercept(FieldAccessor.ofField("backoffMs"))
                .defineMethod("yawlMetrics$baseIntervalMs", long.class, Visibility.PUBLIC).intercept(FieldAccessor.ofField("baseIntervalMs"));
    }

    private static void requireVisible(ClassLoader loader) {
        Class<?> seen;
        try {
            seen = loader == null ? null : Class.forName(TrackedAgent.class.getName(), false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            seen = null;
        }
        if (seen != TrackedAgent.class) {
            throw new IllegalStateException("class loader " + loader + " does not see the agent's "
                    + TrackedAgent.class.getName() + " (isolated loader); per-agent state cannot be added");
        }
    }
}
