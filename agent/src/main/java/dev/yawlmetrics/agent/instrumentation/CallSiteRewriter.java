package dev.yawlmetrics.agent.instrumentation;

import dev.yawlmetrics.agent.instrumentation.ClassShape.Member;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

import java.util.Set;

/**
 * Rewrites one kind of call instruction inside the methods it is applied to, without new
 * branches, so the method's stack map frames stay valid as they are:
 * <ul>
 *   <li>{@link #replace}: {@code INVOKEVIRTUAL owner.name(args)} becomes
 *       {@code ALOAD 0; INVOKESTATIC hook(owner, args..., Object self)}; the hook performs the
 *       original call itself (same receiver, same arguments, exceptions unchanged) and records.
 *       Only in instance methods (slot 0 is {@code this}).</li>
 *   <li>{@link #substitute}: a virtual or interface call on one of the given owners becomes
 *       {@code INVOKESTATIC hook(receiver, args...)} with the same operands and result.</li>
 *   <li>{@link #redirect}: like substitute, to a static method generated in the class itself.</li>
 * </ul>
 */
public final class CallSiteRewriter implements Weaving.MethodRewriter {
    private final Set<String> owners;
    private final String name;
    private final String descriptor;
    private final String hookOwner;
    private final String hookName;
    private final String hookDescriptor;
    private final boolean appendSelf;

    private CallSiteRewriter(Set<String> owners, String name, String descriptor, String hookOwner, String hookName,
                             String hookDescriptor, boolean appendSelf) {
        this.owners = owners;
        this.name = name;
        this.descriptor = descriptor;
        this.hookOwner = hookOwner;
        this.hookName = hookName;
        this.hookDescriptor = hookDescriptor;
        this.appendSelf = appendSelf;
    }

    /** The hook's parameters are the receiver, the call's arguments and {@code Object self}. */
    public static CallSiteRewriter replace(String owner, String name, String descriptor, Class<?> hookOwner, String hookName) {
        String hookDescriptor = staticDescriptor(owner, descriptor, "Ljava/lang/Object;");
        requireHook(hookOwner, hookName, hookDescriptor);
        return new CallSiteRewriter(Set.of(internal(owner)), name, descriptor, Type.getInternalName(hookOwner), hookName,
                hookDescriptor, true);
    }

    /** Calls on any of {@code owners} go to {@code hook}, whose first parameter takes the receiver. */
    public static CallSiteRewriter substitute(Set<String> owners, String name, String descriptor, MethodAdvice.Hook hook) {
        checkSubstitute(owners, descriptor, hook);
        return new CallSiteRewriter(internal(owners), name, descriptor, hook.owner, hook.name, hook.descriptor, false);
    }

    /** The hook must exist with exactly the descriptor the rewritten call site will use. */
    private static void requireHook(Class<?> hookOwner, String hookName, String hookDescriptor) {
        for (java.lang.reflect.Method m : hookOwner.getDeclaredMethods()) {
            if (m.getName().equals(hookName) && java.lang.reflect.Modifier.isStatic(m.getModifiers())
                    && java.lang.reflect.Modifier.isPublic(m.getModifiers()) && Type.getMethodDescriptor(m).equals(hookDescriptor)) {
                return;
            }
        }
        throw new IllegalArgumentException("binding: no public static " + hookOwner.getName() + "." + hookName + hookDescriptor);
    }

    /**
     * The hook takes the call's operands and gives its result: the same arguments and return
     * type, and a first parameter every owner's receiver is assignable to (checked on the JDK's
     * own types, which are loaded already; any other owner must be named exactly, or Object).
     */
    private static void checkSubstitute(Set<String> owners, String descriptor, MethodAdvice.Hook hook) {
        Type call = Type.getMethodType(descriptor);
        Type[] params = hook.parameterTypes();
        Type[] args = call.getArgumentTypes();
        boolean ok = params.length == args.length + 1 && hook.returnType().equals(call.getReturnType());
        for (int i = 0; ok && i < args.length; i++) {
            ok = params[i + 1].equals(args[i]);
        }
        if (ok && params[0].getSort() == Type.OBJECT && !params[0].getInternalName().equals("java/lang/Object")) {
            for (String owner : owners) {
                ok &= receiverAssignable(internal(owner), params[0].getInternalName());
            }
        } else if (ok) {
            ok = params[0].getSort() == Type.OBJECT;
        }
        if (!ok) {
            throw new IllegalArgumentException("binding: " + hook + " cannot take the operands of " + owners + " " + descriptor);
        }
    }

    private static boolean receiverAssignable(String owner, String parameter) {
        if (owner.equals(parameter)) {
            return true;
        }
        if (!owner.startsWith("java/") || !parameter.startsWith("java/")) {
            return false;
        }
        try {
            Class<?> p = Class.forName(parameter.replace('/', '.'), false, null);
            Class<?> o = Class.forName(owner.replace('/', '.'), false, null);
            return p.isAssignableFrom(o);
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** {@code INVOKEVIRTUAL owner.name(args)} becomes {@code INVOKESTATIC hookOwner.hookName(owner, args...)}. */
    public static CallSiteRewriter redirect(String owner, String name, String descriptor, String hookOwnerInternalName, String hookName) {
        return new CallSiteRewriter(Set.of(internal(owner)), name, descriptor, hookOwnerInternalName, hookName,
                staticDescriptor(owner, descriptor, ""), false);
    }

    static String staticDescriptor(String owner, String descriptor, String extra) {
        Type call = Type.getMethodType(descriptor);
        StringBuilder d = new StringBuilder("(L").append(internal(owner)).append(';');
        for (Type arg : call.getArgumentTypes()) {
            d.append(arg.getDescriptor());
        }
        return d.append(extra).append(')').append(call.getReturnType().getDescriptor()).toString();
    }

    private static String internal(String name) {
        return name.replace('.', '/');
    }

    private static Set<String> internal(Set<String> names) {
        java.util.Set<String> out = new java.util.HashSet<>();
        for (String n : names) {
            out.add(internal(n));
        }
        return Set.copyOf(out);
    }

    @Override
    public java.util.List<String> calledClasses() {
        return java.util.List.of(hookOwner);
    }

    @Override
    public MethodVisitor wrap(MethodVisitor next, ClassShape type, Member method) {
        if (appendSelf && method.isStatic()) {
            return next;
        }
        return wrap(next, type, method, () -> { });
    }

    @Override
    public String describe() {
        return "of " + name + descriptor + " on " + owners + " to " + hookOwner.substring(hookOwner.lastIndexOf('/') + 1) + "." + hookName;
    }

    /** Reports each replaced call instruction to {@code sites}. */
    @Override
    public MethodVisitor wrap(MethodVisitor next, ClassShape type, Member method, Runnable sites) {
        if (appendSelf && method.isStatic()) {
            return next;
        }
        return new MethodVisitor(Opcodes.ASM9, next) {
            @Override
            public void visitMethodInsn(int opcode, String callOwner, String callName, String callDescriptor, boolean isInterface) {
                if ((opcode == Opcodes.INVOKEVIRTUAL || opcode == Opcodes.INVOKEINTERFACE) && owners.contains(callOwner)
                        && callName.equals(name) && callDescriptor.equals(descriptor)) {
                    sites.run();
                    if (appendSelf) {
                        super.visitVarInsn(Opcodes.ALOAD, 0);
                    }
                    super.visitMethodInsn(Opcodes.INVOKESTATIC, hookOwner, hookName, hookDescriptor, false);
                    return;
                }
                super.visitMethodInsn(opcode, callOwner, callName, callDescriptor, isInterface);
            }
        };
    }
}
