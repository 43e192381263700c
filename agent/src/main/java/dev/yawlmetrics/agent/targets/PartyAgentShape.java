package dev.yawlmetrics.agent.targets;

import dev.yawlmetrics.agent.core.StartMode;
import dev.yawlmetrics.agent.instrumentation.ClassShape;
import dev.yawlmetrics.agent.instrumentation.ClassShape.Member;
import dev.yawlmetrics.agent.instrumentation.Weaving;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

import java.util.ArrayList;
import java.util.List;
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

    /** @return the missing fields, empty when all engine fields the accessors read exist with the expected types. */
    public static List<String> missingFields(ClassShape type) {
        List<String> missing = new ArrayList<>();
        expectField(type, "lifecycle", Type.getDescriptor(AtomicReference.class), missing);
        expectField(type, "emptyResultsCount", "I", missing);
        expectField(type, "backoffMs", "J", missing);
        expectField(type, "baseIntervalMs", "J", missing);
        if (!type.declaresMethod(CONSTRUCTOR)) {
            missing.add("constructor(AgentConfiguration)");
        }
        return missing;
    }

    private static void expectField(ClassShape type, String name, String descriptor, List<String> missing) {
        Member f = type.field(name);
        if (f == null || f.isStatic() || !f.descriptor.equals(descriptor)) {
            missing.add(Type.getType(descriptor).getClassName() + " " + name);
        }
    }

    private static final String TRACKED = Type.getInternalName(TrackedPartyAgent.class);

    /**
     * Adds the {@link TrackedPartyAgent} fields and accessors once, whichever module comes first. The
     * gate leaves the class unchanged when the engine's class loader cannot see the agent's
     * classes: a class implementing an invisible interface would not load.
     */
    public static void ensureTracked(Weaving weaving) {
        if (weaving.implementsInterface(TRACKED) || StartMode.isLate()) {
            return; // late attach: the class keeps its shape, the state lives in SideStates
        }
        String owner = weaving.type().internalName();
        weaving.implement(TRACKED).calls(TRACKED).addMembers(cv -> {
            field(cv, F_SINCE, "J");
            field(cv, F_EMPTIES, "I");
            field(cv, F_BACKOFF, "I");
            accessors(cv, owner, F_SINCE, F_SINCE, "J");
            accessors(cv, owner, F_EMPTIES, F_EMPTIES, "I");
            accessors(cv, owner, F_BACKOFF, F_BACKOFF, "I");
            getter(cv, owner, "yawlMetrics$lifecycle", "lifecycle", Type.getDescriptor(AtomicReference.class));
            getter(cv, owner, "yawlMetrics$emptyResultsCount", "emptyResultsCount", "I");
            getter(cv, owner, "yawlMetrics$backoffMs", "backoffMs", "J");
            getter(cv, owner, "yawlMetrics$baseIntervalMs", "baseIntervalMs", "J");
        });
    }

    private static void field(ClassVisitor cv, String name, String descriptor) {
        cv.visitField(Opcodes.ACC_PRIVATE | Opcodes.ACC_SYNTHETIC, name, descriptor, null, null).visitEnd();
    }

    private static void accessors(ClassVisitor cv, String owner, String method, String field, String descriptor) {
        getter(cv, owner, method, field, descriptor);
        Type t = Type.getType(descriptor);
        MethodVisitor mv = cv.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_SYNTHETIC, method, "(" + descriptor + ")V", null, null);
        mv.visitCode();
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitVarInsn(t.getOpcode(Opcodes.ILOAD), 1);
        mv.visitFieldInsn(Opcodes.PUTFIELD, owner, field, descriptor);
        mv.visitInsn(Opcodes.RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    private static void getter(ClassVisitor cv, String owner, String method, String field, String descriptor) {
        Type t = Type.getType(descriptor);
        MethodVisitor mv = cv.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_SYNTHETIC, method, "()" + descriptor, null, null);
        mv.visitCode();
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitFieldInsn(Opcodes.GETFIELD, owner, field, descriptor);
        mv.visitInsn(t.getOpcode(Opcodes.IRETURN));
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }
}
