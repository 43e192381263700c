package dev.yawlmetrics.agent.lifecycle;

import dev.yawlmetrics.agent.instrumentation.ClassShape;
import dev.yawlmetrics.agent.instrumentation.ClassShape.Member;
import dev.yawlmetrics.agent.instrumentation.Weaving;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * Counts constructions and failed constructions of the agent class. Exit advice with a handler
 * cannot cover a constructor (the handler would cover the super call), so this visitor does what
 * javac would do for a try/catch placed after {@code super(...)}:
 * <ul>
 *   <li>before each {@code RETURN}: {@code ALOAD 0; INVOKESTATIC LifecycleRecorder.created(Object)};</li>
 *   <li>a handler covering everything after the super call, appended after the last instruction
 *       and registered last (so every handler of the engine's own code keeps priority):
 *       {@code DUP; INVOKESTATIC LifecycleRecorder.constructorFailed(Throwable); ATHROW} &mdash;
 *       the engine's exception object is rethrown unchanged.</li>
 * </ul>
 * The handler's frame declares only {@code this} (initialised after the super call) and the
 * throwable, which every instruction of the covered range is assignable to. Constructors that
 * delegate with {@code this(...)} are left alone (the delegate counts).
 */
public final class ConstructorTracking implements Weaving.MethodRewriter {
    private static final String RECORDER = Type.getInternalName(LifecycleRecorder.class);

    @Override
    public java.util.List<String> calledClasses() {
        return java.util.List.of(RECORDER);
    }

    @Override
    public MethodVisitor wrap(MethodVisitor methodVisitor, ClassShape type, Member method) {
        String superName = type.superName() == null ? "java/lang/Object" : type.superName();
        String self = type.internalName();
        return new MethodVisitor(Opcodes.ASM9, methodVisitor) {
            private final Label start = new Label();
            private int pendingNews;
            private boolean initialised;
            private boolean tracking;

            @Override
            public void visitTypeInsn(int opcode, String type) {
                if (opcode == Opcodes.NEW && !initialised) {
                    pendingNews++;
                }
                super.visitTypeInsn(opcode, type);
            }

            @Override
            public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
                super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
                if (!initialised && opcode == Opcodes.INVOKESPECIAL && name.equals("<init>")) {
                    if (pendingNews > 0) {
                        pendingNews--;
                    } else {
                        initialised = true;
                        tracking = owner.equals(superName) && !owner.equals(self);
                        if (tracking) {
                            super.visitLabel(start);
                        }
                    }
                }
            }

            @Override
            public void visitInsn(int opcode) {
                if (opcode == Opcodes.RETURN && tracking) {
                    super.visitVarInsn(Opcodes.ALOAD, 0);
                    super.visitMethodInsn(Opcodes.INVOKESTATIC, RECORDER, "created", "(Ljava/lang/Object;)V", false);
                }
                super.visitInsn(opcode);
            }

            @Override
            public void visitMaxs(int maxStack, int maxLocals) {
                if (tracking) {
                    Label end = new Label();
                    Label handler = new Label();
                    super.visitLabel(end);
                    super.visitLabel(handler);
                    super.visitFrame(Opcodes.F_NEW, 1, new Object[] {self}, 1, new Object[] {"java/lang/Throwable"});
                    super.visitInsn(Opcodes.DUP);
                    super.visitMethodInsn(Opcodes.INVOKESTATIC, RECORDER, "constructorFailed", "(Ljava/lang/Throwable;)V", false);
                    super.visitInsn(Opcodes.ATHROW);
                    super.visitTryCatchBlock(start, end, handler, "java/lang/Throwable");
                    super.visitMaxs(Math.max(maxStack + 1, 2), maxLocals);
                } else {
                    super.visitMaxs(maxStack, maxLocals);
                }
            }
        };
    }
}
