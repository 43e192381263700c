package dev.yawlmetrics.agent.lifecycle;

import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;
import net.bytebuddy.pool.TypePool;
import net.bytebuddy.utility.OpenedClassReader;

/**
 * Rewrites one kind of call instruction inside the methods it is applied to. Two modes, both
 * without new branches, so the method's stack map frames stay valid as they are:
 * <ul>
 *   <li>{@link #replace}: {@code INVOKEVIRTUAL owner.name(args)} becomes
 *       {@code ALOAD 0; INVOKESTATIC hook(owner, args..., Object self)}; the hook performs the
 *       original call itself (same receiver, same arguments, exceptions unchanged) and records.
 *       Only for instance methods (slot 0 is {@code this}).</li>
 *   <li>{@link #observeResult}: the call stays; {@code DUP; INVOKESTATIC hook(result)} follows it.</li>
 * </ul>
 * One extra stack slot is declared when the method contained a rewritten call.
 */
public final class CallSiteRewriter implements AsmVisitorWrapper.ForDeclaredMethods.MethodVisitorWrapper {
    private final String owner;
    private final String name;
    private final String descriptor;
    private final String hookOwner;
    private final String hookName;
    private final String hookDescriptor;
    private final boolean replace;
    private final boolean appendSelf;

    private CallSiteRewriter(String owner, String name, String descriptor, String hookOwner, String hookName,
                             String hookDescriptor, boolean replace, boolean appendSelf) {
        this.owner = owner.replace('.', '/');
        this.name = name;
        this.descriptor = descriptor;
        this.appendSelf = appendSelf;
        this.hookOwner = hookOwner;
        this.hookName = hookName;
        this.hookDescriptor = hookDescriptor;
        this.replace = replace;
    }

    /** The hook's descriptor is the call's arguments with the receiver first and {@code Object self} last. */
    public static CallSiteRewriter replace(String owner, String name, String descriptor, Class<?> hookOwner, String hookName) {
        Type call = Type.getMethodType(descriptor);
        StringBuilder d = new StringBuilder("(L").append(owner.replace('.', '/')).append(';');
        for (Type arg : call.getArgumentTypes()) {
            d.append(arg.getDescriptor());
        }
        d.append("Ljava/lang/Object;)").append(call.getReturnType().getDescriptor());
        return new CallSiteRewriter(owner, name, descriptor, Type.getInternalName(hookOwner), hookName, d.toString(), true, true);
    }

    /**
     * {@code INVOKEVIRTUAL owner.name(args)} becomes {@code INVOKESTATIC hookOwner.hookName(owner, args...)}:
     * same operands, same result; for a static method generated in the instrumented class itself.
     */
    public static CallSiteRewriter redirect(String owner, String name, String descriptor, String hookOwnerInternalName, String hookName) {
        Type call = Type.getMethodType(descriptor);
        StringBuilder d = new StringBuilder("(L").append(owner.replace('.', '/')).append(';');
        for (Type arg : call.getArgumentTypes()) {
            d.append(arg.getDescriptor());
        }
        d.append(')').append(call.getReturnType().getDescriptor());
        return new CallSiteRewriter(owner, name, descriptor, hookOwnerInternalName, hookName, d.toString(), true, false);
    }

    /** The hook takes the call's result and returns void. */
    public static CallSiteRewriter observeResult(String owner, String name, String descriptor, Class<?> hookOwner, String hookName) {
        Type result = Type.getMethodType(descriptor).getReturnType();
        return new CallSiteRewriter(owner, name, descriptor, Type.getInternalName(hookOwner), hookName,
                "(" + result.getDescriptor() + ")V", false, false);
    }

    @Override
    public MethodVisitor wrap(TypeDescription instrumentedType, MethodDescription instrumentedMethod, MethodVisitor methodVisitor,
                              Implementation.Context implementationContext, TypePool typePool, int writerFlags, int readerFlags) {
        if (appendSelf && instrumentedMethod.isStatic()) {
            return methodVisitor;
        }
        return new MethodVisitor(OpenedClassReader.ASM_API, methodVisitor) {
            private boolean rewritten;

            @Override
            public void visitMethodInsn(int opcode, String callOwner, String callName, String callDescriptor, boolean isInterface) {
                if (opcode == Opcodes.INVOKEVIRTUAL && callOwner.equals(owner) && callName.equals(name)
                        && callDescriptor.equals(descriptor)) {
                    rewritten = true;
                    if (replace) {
                        if (appendSelf) {
                            super.visitVarInsn(Opcodes.ALOAD, 0);
                        }
                        super.visitMethodInsn(Opcodes.INVOKESTATIC, hookOwner, hookName, hookDescriptor, false);
                    } else {
                        super.visitMethodInsn(opcode, callOwner, callName, callDescriptor, isInterface);
                        super.visitInsn(Opcodes.DUP);
                        super.visitMethodInsn(Opcodes.INVOKESTATIC, hookOwner, hookName, hookDescriptor, false);
                    }
                    return;
                }
                super.visitMethodInsn(opcode, callOwner, callName, callDescriptor, isInterface);
            }

            @Override
            public void visitMaxs(int maxStack, int maxLocals) {
                super.visitMaxs(rewritten ? maxStack + 1 : maxStack, maxLocals);
            }
        };
    }
}
