package dev.yawlmetrics.agent.instrumentation;

import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

import java.util.List;

/**
 * The bytecode of the members {@link Weaving} adds to an engine class: fields, their accessors,
 * getters of the engine's own fields, and static methods wrapped around one call. Module packages
 * say which members they need through {@link Weaving}; only this class writes them. Every added
 * member is synthetic, and every generated method goes through the weaver's verification like
 * the engine's woven methods.
 */
final class AddedMembers {
    private AddedMembers() {}

    static void field(ClassVisitor cv, String name, String descriptor) {
        cv.visitField(Opcodes.ACC_PRIVATE | Opcodes.ACC_SYNTHETIC, name, descriptor, null, null).visitEnd();
    }

    /** {@code public synthetic T method() { return this.field; }} */
    static void getter(ClassVisitor cv, String owner, String method, String field, String descriptor) {
        Type t = Type.getType(descriptor);
        MethodVisitor mv = cv.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_SYNTHETIC, method, "()" + descriptor, null, null);
        mv.visitCode();
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitFieldInsn(Opcodes.GETFIELD, owner, field, descriptor);
        mv.visitInsn(t.getOpcode(Opcodes.IRETURN));
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /** {@code public synthetic void method(T value) { this.field = value; }} */
    static void setter(ClassVisitor cv, String owner, String method, String field, String descriptor) {
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

    /**
     * {@code private static synthetic R wrapper(Callee c, args...) { return c.name(args...); }},
     * with {@code advice} woven into it by {@link AdviceWeaver} like into any engine method (so
     * its exit hooks and the rethrow of the callee's exception come from the one emitter).
     */
    static void callWrapper(ClassVisitor cv, ClassShape self, String callee, boolean itf, String name, String descriptor,
                            String wrapper, String wrapperDescriptor, MethodAdvice advice) {
        int access = Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC | Opcodes.ACC_SYNTHETIC;
        ClassShape.Member member = new ClassShape.Member(access, wrapper, wrapperDescriptor);
        Type[] params = Type.getArgumentTypes(wrapperDescriptor);
        int slots = 0;
        for (Type p : params) {
            slots += p.getSize();
        }
        member.maxLocals = slots;
        MethodVisitor mv = new AdviceWeaver(cv.visitMethod(access, wrapper, wrapperDescriptor, null, null), self, member, List.of(advice));
        mv.visitCode();
        int slot = 0;
        for (Type p : params) {
            mv.visitVarInsn(p.getOpcode(Opcodes.ILOAD), slot);
            slot += p.getSize();
        }
        mv.visitMethodInsn(itf ? Opcodes.INVOKEINTERFACE : Opcodes.INVOKEVIRTUAL, callee, name, descriptor, itf);
        mv.visitInsn(Type.getReturnType(descriptor).getOpcode(Opcodes.IRETURN));
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }
}
