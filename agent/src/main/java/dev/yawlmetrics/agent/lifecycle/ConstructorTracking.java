package dev.yawlmetrics.agent.lifecycle;

import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;
import net.bytebuddy.pool.TypePool;
import net.bytebuddy.utility.OpenedClassReader;

/**
 * Counts constructions and failed constructions of the agent class. Byte Buddy's Advice refuses
 * {@code onThrowable} on constructors (the handler would cover the super call), so this visitor
 * does what javac would do for a try/catch placed after {@code super(...)}:
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
public final class ConstructorTracking implements AsmVisitorWrapper.ForDeclaredMethods.MethodVisitorWrapper {
    private static final String RECORDER = Type.getInternalName(LifecycleRecorder.class);

    /** The wrapper to register; asks for expanded frames so the handler's frame can be F_NEW. */
    public static AsmVisitorWrapper wrapper() {
        return new AsmVisitorWrapper.ForDeclaredMethods()
                .readerFlags(ClassReader.EXPAND_FRAMES)
                .invokable(AgentShape.CONSTRUCTOR, new ConstructorTracking());
    }

    @Override
    public MethodVisitor wrap(TypeDescription instrumentedType, MethodDescription instrumentedMethod, MethodVisitor methodVisitor,
                              Implementation.Context implementationContext, TypePool typePool, int writerFlags, int readerFlags) {
        TypeDescription.Generic superClass = instrumentedType.getSuperClass();
        String superName = superClass == null ? "java/lang/Object" : superClass.asErasure().getInternalName();
        String self = instrumentedType.getInternalName();
        boolean expanded = (readerFlags & ClassReader.EXPAND_FRAMES) != 0;
        return new MethodVisitor(OpenedClassReader.ASM_API, methodVisitor) {
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
                    super.visitFrame(expanded ? Opcodes.F_NEW : Opcodes.F_FULL,
                            1, new Object[] {self}, 1, new Object[] {"java/lang/Throwable"});
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
