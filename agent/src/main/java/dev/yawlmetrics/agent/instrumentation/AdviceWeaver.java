package dev.yawlmetrics.agent.instrumentation;

import dev.yawlmetrics.agent.instrumentation.ClassShape.Member;
import dev.yawlmetrics.agent.instrumentation.MethodAdvice.Arg;
import dev.yawlmetrics.agent.instrumentation.MethodAdvice.Call;
import dev.yawlmetrics.agent.instrumentation.MethodAdvice.Kind;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

import java.util.ArrayList;
import java.util.List;

/**
 * Weaves {@link MethodAdvice}s into one method, reading the method with expanded frames:
 * <ul>
 *   <li>entry: each advice's enter code; a kept value goes to a new local above the method's own
 *       ({@code maxLocals} of the original), declared in every later stack map frame;</li>
 *   <li>before every return: the exit hooks, innermost advice first, with the return value
 *       parked in a scratch local while they run;</li>
 *   <li>when an advice asks for it: a catch-all handler appended after the last instruction and
 *       registered after all of the method's own handlers (so the engine's try/catch blocks keep
 *       priority), covering the original body; it runs the exit hooks with the exception and
 *       rethrows that same exception object. Its frame declares only the parameters and the kept
 *       values, to which every instruction of the covered range is assignable.</li>
 * </ul>
 * This is the agent's only emitter of "call the exit hooks and rethrow": constructors
 * ({@link #visitMethodInsn}), methods generated around a call ({@link AddedMembers}) and engine
 * methods all go through it.
 *
 * <p>Constructors: exit hooks run only in a constructor that calls its super class's constructor
 * (one that delegates with {@code this(...)} is covered by the constructor it delegates to), and
 * the handler covers only what follows that super call, where {@code this} is initialised (as
 * javac would place a try/catch written after {@code super(...)}).
 *
 * <p>No branch is added to the engine's code and no frame of it changes except for the appended
 * locals, so the class never needs its frames recomputed (which would mean loading engine classes).
 */
final class AdviceWeaver extends MethodVisitor {
    private final String owner;
    private final ClassShape shape;
    private final Member method;
    private final List<MethodAdvice> advices;
    private final int[] enterSlot;
    private final int scratch;
    private final boolean handler;
    private final Label tryStart = new Label();
    private final boolean constructor;
    /** NEW instructions not yet initialised, before this constructor's own super/this call. */
    private int pendingNews;
    /** Methods: always; constructors: once the super or this call has run. */
    private boolean initialised;
    /** Methods: always; constructors: initialised by the super class's constructor, not this(...). */
    private boolean exits;
    private boolean tryStarted;

    AdviceWeaver(MethodVisitor next, ClassShape shape, Member method, List<MethodAdvice> advices) {
        super(Opcodes.ASM9, next);
        this.owner = shape.internalName();
        this.shape = shape;
        this.method = method;
        this.advices = advices;
        this.enterSlot = new int[advices.size()];
        int next1 = method.maxLocals;
        boolean anyHandler = false;
        for (int i = 0; i < advices.size(); i++) {
            MethodAdvice a = advices.get(i);
            if (a.enterType != null) {
                enterSlot[i] = next1;
                next1 += a.enterType.getSize();
            } else {
                enterSlot[i] = -1;
            }
            anyHandler |= a.onThrowable;
        }
        this.scratch = next1;
        this.handler = anyHandler;
        this.constructor = method.isConstructor();
        this.initialised = !constructor;
        this.exits = !constructor;
        for (int i = 0; i < advices.size(); i++) {
            for (Call c : advices.get(i).enter) {
                checkBinding(c, i);
            }
            for (Call c : advices.get(i).exit) {
                checkBinding(c, i);
            }
        }
    }

    /**
     * Checks, before any byte is written, that the values the woven code would pass match the
     * hook's descriptor: the same number, primitives of the same kind, references the hook takes
     * as {@code Object}, as exactly their type, or (for {@code this}) as a declared supertype.
     * A mismatch would otherwise surface as a VerifyError when the JVM loads the engine's class,
     * after the transformer returned. Without loading classes nothing else is provable, so
     * anything else is refused.
     */
    private void checkBinding(Call c, int advice) {
        Type[] params = c.hook.parameterTypes();
        if (params.length != c.args.length) {
            throw new IllegalStateException("binding of " + c.hook + " in " + owner + "." + method + ": the hook takes "
                    + params.length + " value(s), the advice passes " + c.args.length);
        }
        for (int k = 0; k < params.length; k++) {
            Arg arg = c.args[k];
            Type passed = passedType(arg, advice);
            if (!accepts(params[k], passed, arg.kind)) {
                throw new IllegalStateException("binding of " + c.hook + " in " + owner + "." + method + ": parameter " + k
                        + " is " + params[k].getClassName() + ", the woven code passes " + passed.getClassName()
                        + " (" + arg.kind.name().toLowerCase(java.util.Locale.ROOT) + ")");
            }
        }
        if (c.storeIntoArgument >= 0) {
            Type[] args = method.argumentTypes();
            if (c.storeIntoArgument >= args.length || !sameKind(args[c.storeIntoArgument], c.hook.returnType())) {
                throw new IllegalStateException("binding of " + c.hook + " in " + owner + "." + method
                        + ": its result cannot replace parameter " + c.storeIntoArgument);
            }
        }
    }

    /** The static type of the value an argument pushes. */
    private Type passedType(Arg arg, int advice) {
        switch (arg.kind) {
            case THIS:
                requireInstance(arg);
                return Type.getObjectType(owner);
            case ARGUMENT: {
                Type[] args = method.argumentTypes();
                if (arg.number < 0 || arg.number >= args.length) {
                    throw new IllegalStateException("argument " + arg.number + " of " + owner + "." + method + " does not exist");
                }
                return args[arg.number];
            }
            case FIELD: {
                requireInstance(arg);
                Member f = shape.field(arg.field);
                if (f == null || f.isStatic()) {
                    throw new IllegalStateException("no instance field " + arg.field + " in " + owner);
                }
                return Type.getType(f.descriptor);
            }
            case CONSTANT:
                return Type.INT_TYPE;
            case ENTER: {
                Type t = advices.get(advice).enterType;
                if (t == null) {
                    throw new IllegalStateException("advice keeps no enter value");
                }
                return t;
            }
            case RETURNED:
                if (method.returnType().getSort() == Type.VOID) {
                    throw new IllegalStateException("void method has no return value: " + method);
                }
                return method.returnType();
            case THROWN:
                return Type.getObjectType("java/lang/Throwable");
            case OUTCOME:
                if (method.returnType().getSort() != Type.OBJECT && method.returnType().getSort() != Type.ARRAY) {
                    throw new IllegalStateException("outcome needs a method returning a reference: " + method);
                }
                return Type.getObjectType("java/lang/Object");
            default:
                throw new IllegalStateException(arg.kind.name());
        }
    }

    private boolean accepts(Type param, Type passed, Kind kind) {
        if (isReference(param)) {
            if (!isReference(passed)) {
                return false;
            }
            String p = param.getInternalName();
            return p.equals("java/lang/Object") || param.equals(passed)
                    || (kind == Kind.THIS && (p.equals(shape.superName()) || shape.interfaces().contains(p)));
        }
        return sameKind(param, passed);
    }

    /** Primitives: the same type, or an int parameter taking any int-sized value (boolean, char, ...). */
    private static boolean sameKind(Type param, Type passed) {
        if (param.equals(passed)) {
            return true;
        }
        return param.getSort() == Type.INT && passed.getSort() >= Type.BOOLEAN && passed.getSort() <= Type.INT;
    }

    private static boolean isReference(Type t) {
        return t.getSort() == Type.OBJECT || t.getSort() == Type.ARRAY;
    }

    @Override
    public void visitCode() {
        super.visitCode();
        for (int i = 0; i < advices.size(); i++) {
            MethodAdvice a = advices.get(i);
            if (a.enterNanos) {
                super.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/System", "nanoTime", "()J", false);
                super.visitVarInsn(Opcodes.LSTORE, enterSlot[i]);
            }
            for (Call c : a.enter) {
                load(c, i, false);
                super.visitMethodInsn(Opcodes.INVOKESTATIC, c.hook.owner, c.hook.name, c.hook.descriptor, false);
                Type result = c.hook.returnType();
                if (c.keep) {
                    super.visitVarInsn(result.getOpcode(Opcodes.ISTORE), enterSlot[i]);
                } else if (c.storeIntoArgument >= 0) {
                    super.visitVarInsn(result.getOpcode(Opcodes.ISTORE), argumentSlot(c.storeIntoArgument));
                } else {
                    pop(result);
                }
            }
        }
        if (handler && !constructor) {
            startTry();
        }
    }

    private void startTry() {
        super.visitLabel(tryStart);
        tryStarted = true;
    }

    @Override
    public void visitTypeInsn(int opcode, String type) {
        if (opcode == Opcodes.NEW && !initialised) {
            pendingNews++;
        }
        super.visitTypeInsn(opcode, type);
    }

    /** In a constructor: finds the call that initialises {@code this} (objects created for its arguments come first). */
    @Override
    public void visitMethodInsn(int opcode, String callOwner, String name, String descriptor, boolean isInterface) {
        super.visitMethodInsn(opcode, callOwner, name, descriptor, isInterface);
        if (!initialised && opcode == Opcodes.INVOKESPECIAL && name.equals("<init>")) {
            if (pendingNews > 0) {
                pendingNews--;
            } else {
                initialised = true;
                exits = !callOwner.equals(owner);
                if (exits && handler) {
                    startTry();
                }
            }
        }
    }

    @Override
    public void visitInsn(int opcode) {
        if (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN && exits) {
            exitCode(false);
        }
        super.visitInsn(opcode);
    }

    @Override
    public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
        if (type != Opcodes.F_NEW) {
            throw new IllegalStateException("frames must be expanded to weave " + owner + "." + method);
        }
        Object[] locals = withKeptValues(local, numLocal);
        super.visitFrame(type, locals.length, locals, numStack, stack);
    }

    @Override
    public void visitMaxs(int maxStack, int maxLocals) {
        if (tryStarted) {
            Label tryEnd = new Label();
            Label catchAll = new Label();
            super.visitLabel(tryEnd);
            super.visitLabel(catchAll);
            Object[] locals = withKeptValues(parameterLocals(), -1);
            super.visitFrame(Opcodes.F_NEW, locals.length, locals, 1, new Object[] {"java/lang/Throwable"});
            exitCode(true);
            super.visitInsn(Opcodes.ATHROW);
            super.visitTryCatchBlock(tryStart, tryEnd, catchAll, null);
        }
        super.visitMaxs(maxStack, maxLocals); // recomputed by the writer (COMPUTE_MAXS)
    }

    /** Exit hooks, innermost advice first; the return value or the exception waits in the scratch local. */
    private void exitCode(boolean throwing) {
        Type returnType = method.returnType();
        boolean parked = false;
        if (throwing) {
            super.visitVarInsn(Opcodes.ASTORE, scratch);
            parked = true;
        } else if (returnType.getSort() != Type.VOID && needsReturnValue()) {
            super.visitVarInsn(returnType.getOpcode(Opcodes.ISTORE), scratch);
            parked = true;
        }
        for (int i = advices.size() - 1; i >= 0; i--) {
            MethodAdvice a = advices.get(i);
            if (throwing && !a.onThrowable) {
                continue;
            }
            for (Call c : a.exit) {
                load(c, i, throwing);
                super.visitMethodInsn(Opcodes.INVOKESTATIC, c.hook.owner, c.hook.name, c.hook.descriptor, false);
                pop(c.hook.returnType());
            }
        }
        if (parked) {
            super.visitVarInsn(throwing ? Opcodes.ALOAD : returnType.getOpcode(Opcodes.ILOAD), scratch);
        }
    }

    private boolean needsReturnValue() {
        for (MethodAdvice a : advices) {
            for (Call c : a.exit) {
                if (c.uses(Kind.RETURNED) || c.uses(Kind.OUTCOME)) {
                    return true;
                }
            }
        }
        return false;
    }

    private void load(Call c, int advice, boolean throwing) {
        Type returnType = method.returnType();
        for (Arg arg : c.args) {
            switch (arg.kind) {
                case THIS:
                    requireInstance(arg);
                    super.visitVarInsn(Opcodes.ALOAD, 0);
                    break;
                case ARGUMENT: {
                    Type t = method.argumentTypes()[arg.number];
                    super.visitVarInsn(t.getOpcode(Opcodes.ILOAD), argumentSlot(arg.number));
                    break;
                }
                case FIELD: {
                    requireInstance(arg);
                    Member f = shape.field(arg.field);
                    if (f == null || f.isStatic()) {
                        throw new IllegalStateException("no instance field " + arg.field + " in " + owner);
                    }
                    super.visitVarInsn(Opcodes.ALOAD, 0);
                    super.visitFieldInsn(Opcodes.GETFIELD, owner, f.name, f.descriptor);
                    break;
                }
                case CONSTANT:
                    super.visitLdcInsn(arg.number);
                    break;
                case ENTER: {
                    Type t = advices.get(advice).enterType;
                    if (t == null) {
                        throw new IllegalStateException("advice keeps no enter value");
                    }
                    super.visitVarInsn(t.getOpcode(Opcodes.ILOAD), enterSlot[advice]);
                    break;
                }
                case RETURNED:
                    if (throwing) {
                        pushDefault(returnType);
                    } else {
                        super.visitVarInsn(returnType.getOpcode(Opcodes.ILOAD), scratch);
                    }
                    break;
                case THROWN:
                    if (throwing) {
                        super.visitVarInsn(Opcodes.ALOAD, scratch);
                    } else {
                        super.visitInsn(Opcodes.ACONST_NULL);
                    }
                    break;
                case OUTCOME:
                    if (returnType.getSort() != Type.OBJECT && returnType.getSort() != Type.ARRAY) {
                        throw new IllegalStateException("outcome needs a method returning a reference: " + method);
                    }
                    super.visitVarInsn(Opcodes.ALOAD, scratch);
                    break;
                default:
                    throw new IllegalStateException(arg.kind.name());
            }
        }
    }

    private void requireInstance(Arg arg) {
        if (method.isStatic()) {
            throw new IllegalStateException(arg.kind + " in static method " + method);
        }
    }

    private void pushDefault(Type t) {
        switch (t.getSort()) {
            case Type.VOID:
                throw new IllegalStateException("void method has no return value: " + method);
            case Type.LONG:
                super.visitInsn(Opcodes.LCONST_0);
                break;
            case Type.FLOAT:
                super.visitInsn(Opcodes.FCONST_0);
                break;
            case Type.DOUBLE:
                super.visitInsn(Opcodes.DCONST_0);
                break;
            case Type.OBJECT:
            case Type.ARRAY:
                super.visitInsn(Opcodes.ACONST_NULL);
                break;
            default:
                super.visitInsn(Opcodes.ICONST_0);
        }
    }

    private void pop(Type t) {
        if (t.getSize() == 2) {
            super.visitInsn(Opcodes.POP2);
        } else if (t.getSize() == 1) {
            super.visitInsn(Opcodes.POP);
        }
    }

    private int argumentSlot(int index) {
        int slot = method.isStatic() ? 0 : 1;
        Type[] args = method.argumentTypes();
        for (int i = 0; i < index; i++) {
            slot += args[i].getSize();
        }
        return slot;
    }

    /** The frame locals at method entry: {@code this} and the parameters. */
    private Object[] parameterLocals() {
        List<Object> locals = new ArrayList<>();
        if (!method.isStatic()) {
            locals.add(owner);
        }
        for (Type t : method.argumentTypes()) {
            locals.add(frameType(t));
        }
        return locals.toArray();
    }

    /** A frame's locals padded with TOP up to the original max locals, then the kept enter values. */
    private Object[] withKeptValues(Object[] local, int numLocal) {
        int n = numLocal < 0 ? local.length : numLocal;
        List<Object> out = new ArrayList<>(n + advices.size() + 4);
        int slots = 0;
        for (int i = 0; i < n; i++) {
            Object l = local[i];
            out.add(l);
            slots += (l == Opcodes.LONG || l == Opcodes.DOUBLE) ? 2 : 1;
        }
        boolean anyKept = false;
        for (MethodAdvice a : advices) {
            anyKept |= a.enterType != null;
        }
        if (!anyKept) {
            return out.toArray();
        }
        while (slots < method.maxLocals) {
            out.add(Opcodes.TOP);
            slots++;
        }
        for (MethodAdvice a : advices) {
            if (a.enterType != null) {
                out.add(frameType(a.enterType));
            }
        }
        return out.toArray();
    }

    static Object frameType(Type t) {
        switch (t.getSort()) {
            case Type.BOOLEAN:
            case Type.BYTE:
            case Type.CHAR:
            case Type.SHORT:
            case Type.INT:
                return Opcodes.INTEGER;
            case Type.FLOAT:
                return Opcodes.FLOAT;
            case Type.LONG:
                return Opcodes.LONG;
            case Type.DOUBLE:
                return Opcodes.DOUBLE;
            default:
                return t.getInternalName();
        }
    }
}
