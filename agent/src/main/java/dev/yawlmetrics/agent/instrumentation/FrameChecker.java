package dev.yawlmetrics.agent.instrumentation;

import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks one woven method in a single pass over ASM's core visitor, the way the JVM's
 * type-checking verifier does with a class file's stack map frames: the state is reset at
 * every frame, every jump, switch, fall-through and exception range is checked against the
 * frame of its target, and every instruction against the values it pops. Values are kinds
 * (int, float, long, double, reference), as in ASM's BasicVerifier, so no class is ever
 * loaded or resolved.
 *
 * <p>Why not ASM's Analyzer: it builds a tree of the class and iterates to a fixpoint, which on
 * the engine's thread at start-up meant ~40 more classes loaded and 30-40 ms for the first woven
 * class. The frames the compiler wrote already say what the Analyzer infers. Class files
 * without frames (before version 50) and subroutines (jsr / ret) still go to the Analyzer.
 */
final class FrameChecker extends MethodVisitor {
    static final byte TOP = 0, INT = 1, FLOAT = 2, LONG = 3, DOUBLE = 4, REF = 5;

    /** A woven method that would not verify; the message says why and where. */
    static final class Rejected extends RuntimeException {
        Rejected(String message) {
            super(message, null, false, false);
        }
    }

    /** Code this checker does not model (subroutines): the caller falls back to ASM's Analyzer. */
    static final class Unsupported extends RuntimeException {
        Unsupported(String message) {
            super(message, null, false, false);
        }
    }

    private record State(byte[] locals, byte[] stack) {}

    /** What must be assignable to the frame at {@code target}; a null stack checks locals only (an exception handler). */
    private record Edge(Label target, State state, int at) {}

    private static final class Range {
        final Label start;
        final Label end;
        final Label handler;
        boolean active;

        Range(Label start, Label end, Label handler) {
            this.start = start;
            this.end = end;
            this.handler = handler;
        }
    }

    private final byte returnKind; // TOP for void
    private byte[] locals = new byte[8];
    private byte[] stack = new byte[8];
    private int sp;
    private boolean reachable = true;
    private boolean code;
    private int insn;
    private int activeRanges;
    private boolean snapshotDue;
    private final List<Label> labelsHere = new ArrayList<>(2);
    private final Map<Label, State> frames = new IdentityHashMap<>();
    private final List<Edge> edges = new ArrayList<>();
    private final List<Range> ranges = new ArrayList<>(2);

    FrameChecker(int access, String descriptor) {
        super(Opcodes.ASM9);
        int slot = 0;
        if ((access & Opcodes.ACC_STATIC) == 0) {
            setLocal(slot++, REF);
        }
        Type[] args = Type.getArgumentTypes(descriptor);
        for (Type t : args) {
            byte k = kind(t.getDescriptor().charAt(0));
            setLocal(slot, k);
            slot += k == LONG || k == DOUBLE ? 2 : 1;
        }
        returnKind = kind(Type.getReturnType(descriptor).getDescriptor().charAt(0));
    }

    static byte kind(char descriptor) {
        switch (descriptor) {
            case 'Z': case 'B': case 'C': case 'S': case 'I': return INT;
            case 'F': return FLOAT;
            case 'J': return LONG;
            case 'D': return DOUBLE;
            case 'L': case '[': return REF;
            case 'V': return TOP;
            default: throw new Rejected("unknown descriptor character '" + descriptor + "'");
        }
    }

    private static String name(byte kind) {
        return switch (kind) {
            case INT -> "int";
            case FLOAT -> "float";
            case LONG -> "long";
            case DOUBLE -> "double";
            case REF -> "reference";
            default -> "nothing";
        };
    }

    private Rejected reject(String what) {
        return new Rejected(what + " (instruction " + insn + ")");
    }

    // ---- state ----

    private void setLocal(int slot, byte k) {
        int width = k == LONG || k == DOUBLE ? 2 : 1;
        if (slot + width >= locals.length) {
            locals = Arrays.copyOf(locals, Math.max(locals.length * 2, slot + width + 1));
        }
        if (slot > 0 && (locals[slot - 1] == LONG || locals[slot - 1] == DOUBLE)) {
            locals[slot - 1] = TOP; // overwrote the second half of a long or double
        }
        locals[slot] = k;
        if (width == 2) {
            locals[slot + 1] = TOP;
        }
    }

    private byte local(int slot) {
        return slot < locals.length ? locals[slot] : TOP;
    }

    private void push(byte k) {
        if (sp == stack.length) {
            stack = Arrays.copyOf(stack, sp * 2);
        }
        stack[sp++] = k;
    }

    private byte pop() {
        if (sp == 0) {
            throw reject("pops from an empty stack");
        }
        return stack[--sp];
    }

    private void pop(byte expected) {
        byte k = pop();
        if (k != expected) {
            throw reject("expects " + name(expected) + " on the stack, finds " + name(k));
        }
    }

    private byte popCategory1() {
        byte k = pop();
        if (k == LONG || k == DOUBLE) {
            throw reject("expects a one-word value on the stack, finds " + name(k));
        }
        return k;
    }

    private static boolean wide(byte k) {
        return k == LONG || k == DOUBLE;
    }

    private State snapshot(boolean withStack) {
        return new State(locals.clone(), withStack ? Arrays.copyOf(stack, sp) : null);
    }

    /** Every instruction starts here: it must be reachable with a known state, and protected ranges see its locals. */
    private void begin() {
        if (!code) {
            return;
        }
        if (!reachable) {
            throw reject("code after an unconditional jump, return or throw without a stack map frame");
        }
        labelsHere.clear();
        if (snapshotDue && activeRanges > 0) {
            snapshotForHandlers();
        }
        insn++;
    }

    private void snapshotForHandlers() {
        State s = snapshot(false);
        for (Range r : ranges) {
            if (r.active) {
                edges.add(new Edge(r.handler, s, insn));
            }
        }
        snapshotDue = false;
    }

    private void jumpTo(Label target) {
        edges.add(new Edge(target, snapshot(true), insn));
    }

    private void afterLocalChange() {
        if (activeRanges > 0) {
            snapshotForHandlers();
        }
    }

    // ---- structure ----

    @Override
    public void visitCode() {
        code = true;
    }

    @Override
    public void visitTryCatchBlock(Label start, Label end, Label handler, String type) {
        ranges.add(new Range(start, end, handler));
    }

    @Override
    public void visitLabel(Label label) {
        labelsHere.add(label);
        for (Range r : ranges) {
            if (r.end == label && r.active) {
                r.active = false;
                activeRanges--;
            }
        }
        for (Range r : ranges) {
            if (r.start == label && r.start != r.end && !r.active) {
                r.active = true;
                activeRanges++;
                snapshotDue = true;
            }
        }
    }

    @Override
    public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stackTypes) {
        if (type != Opcodes.F_NEW) {
            throw new Unsupported("compressed frames (the class was not read with EXPAND_FRAMES)");
        }
        byte[] frameLocals = new byte[Math.max(8, numLocal * 2 + 1)];
        int slot = 0;
        for (int i = 0; i < numLocal; i++) {
            byte k = frameKind(local[i]);
            if (slot + 2 >= frameLocals.length) {
                frameLocals = Arrays.copyOf(frameLocals, frameLocals.length * 2);
            }
            frameLocals[slot] = k;
            slot += wide(k) ? 2 : 1;
        }
        byte[] frameStack = new byte[numStack];
        for (int i = 0; i < numStack; i++) {
            frameStack[i] = frameKind(stackTypes[i]);
        }
        State frame = new State(frameLocals, frameStack);
        if (reachable) {
            assignable(snapshot(true), frame, "falling through into the frame at instruction " + insn);
        }
        for (Label l : labelsHere) {
            frames.put(l, frame);
        }
        locals = frameLocals.clone();
        stack = Arrays.copyOf(frameStack, Math.max(8, numStack * 2));
        sp = numStack;
        reachable = true;
        snapshotDue = true;
    }

    private static byte frameKind(Object t) {
        if (t == Opcodes.TOP) return TOP;
        if (t == Opcodes.INTEGER) return INT;
        if (t == Opcodes.FLOAT) return FLOAT;
        if (t == Opcodes.LONG) return LONG;
        if (t == Opcodes.DOUBLE) return DOUBLE;
        return REF; // null, uninitializedThis, a class name, or the label of an uninitialized 'new'
    }

    private void assignable(State from, State frame, String where) {
        if (from.stack() != null) {
            if (from.stack().length != frame.stack().length) {
                throw new Rejected(where + ": " + from.stack().length + " values on the stack, the frame has " + frame.stack().length);
            }
            for (int i = 0; i < frame.stack().length; i++) {
                if (from.stack()[i] != frame.stack()[i]) {
                    throw new Rejected(where + ": stack entry " + i + " is " + name(from.stack()[i]) + ", the frame says " + name(frame.stack()[i]));
                }
            }
        }
        for (int i = 0; i < frame.locals().length; i++) {
            byte want = frame.locals()[i];
            byte have = i < from.locals().length ? from.locals()[i] : TOP;
            if (want != TOP && have != want) {
                throw new Rejected(where + ": local " + i + " is " + name(have) + ", the frame says " + name(want));
            }
        }
    }

    @Override
    public void visitEnd() {
        if (!code) {
            return;
        }
        for (Range r : ranges) {
            State handler = frames.get(r.handler);
            if (handler == null) {
                throw new Rejected("no stack map frame at an exception handler");
            }
            if (handler.stack().length != 1 || handler.stack()[0] != REF) {
                throw new Rejected("an exception handler's frame must hold exactly the exception on the stack");
            }
        }
        for (Edge e : edges) {
            State frame = frames.get(e.target());
            if (frame == null) {
                throw new Rejected("no stack map frame at the target of instruction " + e.at());
            }
            assignable(e.state(), frame, (e.state().stack() == null ? "exception range at instruction " : "jump at instruction ") + e.at());
        }
    }

    // ---- instructions ----

    @Override
    public void visitInsn(int op) {
        begin();
        switch (op) {
            case Opcodes.NOP -> { }
            case Opcodes.ACONST_NULL -> push(REF);
            case Opcodes.ICONST_M1, Opcodes.ICONST_0, Opcodes.ICONST_1, Opcodes.ICONST_2, Opcodes.ICONST_3, Opcodes.ICONST_4,
                 Opcodes.ICONST_5 -> push(INT);
            case Opcodes.LCONST_0, Opcodes.LCONST_1 -> push(LONG);
            case Opcodes.FCONST_0, Opcodes.FCONST_1, Opcodes.FCONST_2 -> push(FLOAT);
            case Opcodes.DCONST_0, Opcodes.DCONST_1 -> push(DOUBLE);
            case Opcodes.IALOAD, Opcodes.BALOAD, Opcodes.CALOAD, Opcodes.SALOAD -> arrayLoad(INT);
            case Opcodes.LALOAD -> arrayLoad(LONG);
            case Opcodes.FALOAD -> arrayLoad(FLOAT);
            case Opcodes.DALOAD -> arrayLoad(DOUBLE);
            case Opcodes.AALOAD -> arrayLoad(REF);
            case Opcodes.IASTORE, Opcodes.BASTORE, Opcodes.CASTORE, Opcodes.SASTORE -> arrayStore(INT);
            case Opcodes.LASTORE -> arrayStore(LONG);
            case Opcodes.FASTORE -> arrayStore(FLOAT);
            case Opcodes.DASTORE -> arrayStore(DOUBLE);
            case Opcodes.AASTORE -> arrayStore(REF);
            case Opcodes.POP -> popCategory1();
            case Opcodes.POP2 -> {
                if (!wide(pop())) {
                    popCategory1();
                }
            }
            case Opcodes.DUP -> {
                byte v = popCategory1();
                push(v);
                push(v);
            }
            case Opcodes.DUP_X1 -> {
                byte v1 = popCategory1(), v2 = popCategory1();
                push(v1); push(v2); push(v1);
            }
            case Opcodes.DUP_X2 -> {
                byte v1 = popCategory1(), v2 = pop();
                if (wide(v2)) {
                    push(v1); push(v2); push(v1);
                } else {
                    byte v3 = popCategory1();
                    push(v1); push(v3); push(v2); push(v1);
                }
            }
            case Opcodes.DUP2 -> {
                byte v1 = pop();
                if (wide(v1)) {
                    push(v1); push(v1);
                } else {
                    byte v2 = popCategory1();
                    push(v2); push(v1); push(v2); push(v1);
                }
            }
            case Opcodes.DUP2_X1 -> {
                byte v1 = pop();
                if (wide(v1)) {
                    byte v2 = popCategory1();
                    push(v1); push(v2); push(v1);
                } else {
                    byte v2 = popCategory1(), v3 = popCategory1();
                    push(v2); push(v1); push(v3); push(v2); push(v1);
                }
            }
            case Opcodes.DUP2_X2 -> {
                byte v1 = pop();
                if (wide(v1)) {
                    byte v2 = pop();
                    if (wide(v2)) {
                        push(v1); push(v2); push(v1);
                    } else {
                        byte v3 = popCategory1();
                        push(v1); push(v3); push(v2); push(v1);
                    }
                } else {
                    byte v2 = popCategory1(), v3 = pop();
                    if (wide(v3)) {
                        push(v2); push(v1); push(v3); push(v2); push(v1);
                    } else {
                        byte v4 = popCategory1();
                        push(v2); push(v1); push(v4); push(v3); push(v2); push(v1);
                    }
                }
            }
            case Opcodes.SWAP -> {
                byte v1 = popCategory1(), v2 = popCategory1();
                push(v1); push(v2);
            }
            case Opcodes.IADD, Opcodes.ISUB, Opcodes.IMUL, Opcodes.IDIV, Opcodes.IREM, Opcodes.ISHL, Opcodes.ISHR, Opcodes.IUSHR,
                 Opcodes.IAND, Opcodes.IOR, Opcodes.IXOR -> binary(INT, INT, INT);
            case Opcodes.LADD, Opcodes.LSUB, Opcodes.LMUL, Opcodes.LDIV, Opcodes.LREM, Opcodes.LAND, Opcodes.LOR, Opcodes.LXOR ->
                    binary(LONG, LONG, LONG);
            case Opcodes.LSHL, Opcodes.LSHR, Opcodes.LUSHR -> binary(LONG, INT, LONG);
            case Opcodes.FADD, Opcodes.FSUB, Opcodes.FMUL, Opcodes.FDIV, Opcodes.FREM -> binary(FLOAT, FLOAT, FLOAT);
            case Opcodes.DADD, Opcodes.DSUB, Opcodes.DMUL, Opcodes.DDIV, Opcodes.DREM -> binary(DOUBLE, DOUBLE, DOUBLE);
            case Opcodes.LCMP -> binary(LONG, LONG, INT);
            case Opcodes.FCMPL, Opcodes.FCMPG -> binary(FLOAT, FLOAT, INT);
            case Opcodes.DCMPL, Opcodes.DCMPG -> binary(DOUBLE, DOUBLE, INT);
            case Opcodes.INEG, Opcodes.I2B, Opcodes.I2C, Opcodes.I2S -> unary(INT, INT);
            case Opcodes.LNEG -> unary(LONG, LONG);
            case Opcodes.FNEG -> unary(FLOAT, FLOAT);
            case Opcodes.DNEG -> unary(DOUBLE, DOUBLE);
            case Opcodes.I2L -> unary(INT, LONG);
            case Opcodes.I2F -> unary(INT, FLOAT);
            case Opcodes.I2D -> unary(INT, DOUBLE);
            case Opcodes.L2I -> unary(LONG, INT);
            case Opcodes.L2F -> unary(LONG, FLOAT);
            case Opcodes.L2D -> unary(LONG, DOUBLE);
            case Opcodes.F2I -> unary(FLOAT, INT);
            case Opcodes.F2L -> unary(FLOAT, LONG);
            case Opcodes.F2D -> unary(FLOAT, DOUBLE);
            case Opcodes.D2I -> unary(DOUBLE, INT);
            case Opcodes.D2L -> unary(DOUBLE, LONG);
            case Opcodes.D2F -> unary(DOUBLE, FLOAT);
            case Opcodes.IRETURN -> ret(INT);
            case Opcodes.LRETURN -> ret(LONG);
            case Opcodes.FRETURN -> ret(FLOAT);
            case Opcodes.DRETURN -> ret(DOUBLE);
            case Opcodes.ARETURN -> ret(REF);
            case Opcodes.RETURN -> ret(TOP);
            case Opcodes.ARRAYLENGTH -> unary(REF, INT);
            case Opcodes.ATHROW -> {
                pop(REF);
                reachable = false;
            }
            case Opcodes.MONITORENTER, Opcodes.MONITOREXIT -> pop(REF);
            default -> throw reject("unknown opcode " + op);
        }
    }

    private void arrayLoad(byte element) {
        pop(INT);
        pop(REF);
        push(element);
    }

    private void arrayStore(byte element) {
        pop(element);
        pop(INT);
        pop(REF);
    }

    private void binary(byte left, byte right, byte result) {
        pop(right);
        pop(left);
        push(result);
    }

    private void unary(byte operand, byte result) {
        pop(operand);
        push(result);
    }

    private void ret(byte kind) {
        if (kind != returnKind) {
            throw reject("returns " + name(kind) + " from a method that returns " + name(returnKind));
        }
        if (kind != TOP) {
            pop(kind);
        }
        reachable = false;
    }

    @Override
    public void visitIntInsn(int op, int operand) {
        begin();
        if (op == Opcodes.NEWARRAY) {
            unary(INT, REF);
        } else {
            push(INT); // bipush, sipush
        }
    }

    @Override
    public void visitVarInsn(int op, int slot) {
        begin();
        switch (op) {
            case Opcodes.ILOAD -> load(slot, INT);
            case Opcodes.LLOAD -> load(slot, LONG);
            case Opcodes.FLOAD -> load(slot, FLOAT);
            case Opcodes.DLOAD -> load(slot, DOUBLE);
            case Opcodes.ALOAD -> load(slot, REF);
            case Opcodes.ISTORE -> store(slot, INT);
            case Opcodes.LSTORE -> store(slot, LONG);
            case Opcodes.FSTORE -> store(slot, FLOAT);
            case Opcodes.DSTORE -> store(slot, DOUBLE);
            case Opcodes.ASTORE -> store(slot, REF);
            default -> throw new Unsupported("subroutine return (ret)");
        }
    }

    private void load(int slot, byte kind) {
        byte have = local(slot);
        if (have != kind) {
            throw reject("loads " + name(kind) + " from local " + slot + ", which holds " + name(have));
        }
        push(kind);
    }

    private void store(int slot, byte kind) {
        pop(kind);
        setLocal(slot, kind);
        afterLocalChange();
    }

    @Override
    public void visitIincInsn(int slot, int increment) {
        begin();
        if (local(slot) != INT) {
            throw reject("increments local " + slot + ", which holds " + name(local(slot)));
        }
    }

    @Override
    public void visitTypeInsn(int op, String type) {
        begin();
        switch (op) {
            case Opcodes.NEW -> push(REF);
            case Opcodes.ANEWARRAY -> unary(INT, REF);
            case Opcodes.CHECKCAST -> unary(REF, REF);
            default -> unary(REF, INT); // instanceof
        }
    }

    @Override
    public void visitFieldInsn(int op, String owner, String name, String descriptor) {
        begin();
        byte k = kind(descriptor.charAt(0));
        switch (op) {
            case Opcodes.GETSTATIC -> push(k);
            case Opcodes.PUTSTATIC -> pop(k);
            case Opcodes.GETFIELD -> unary(REF, k);
            default -> {
                pop(k);
                pop(REF);
            }
        }
    }

    @Override
    public void visitMethodInsn(int op, String owner, String name, String descriptor, boolean isInterface) {
        begin();
        invoke(descriptor, op != Opcodes.INVOKESTATIC);
    }

    @Override
    public void visitInvokeDynamicInsn(String name, String descriptor, Handle bootstrap, Object... bootstrapArguments) {
        begin();
        invoke(descriptor, false);
    }

    private void invoke(String descriptor, boolean receiver) {
        Type[] args = Type.getArgumentTypes(descriptor);
        for (int i = args.length - 1; i >= 0; i--) {
            pop(kind(args[i].getDescriptor().charAt(0)));
        }
        if (receiver) {
            pop(REF);
        }
        byte r = kind(Type.getReturnType(descriptor).getDescriptor().charAt(0));
        if (r != TOP) {
            push(r);
        }
    }

    @Override
    public void visitJumpInsn(int op, Label target) {
        begin();
        switch (op) {
            case Opcodes.IFEQ, Opcodes.IFNE, Opcodes.IFLT, Opcodes.IFGE, Opcodes.IFGT, Opcodes.IFLE -> pop(INT);
            case Opcodes.IF_ICMPEQ, Opcodes.IF_ICMPNE, Opcodes.IF_ICMPLT, Opcodes.IF_ICMPGE, Opcodes.IF_ICMPGT, Opcodes.IF_ICMPLE -> {
                pop(INT);
                pop(INT);
            }
            case Opcodes.IF_ACMPEQ, Opcodes.IF_ACMPNE -> {
                pop(REF);
                pop(REF);
            }
            case Opcodes.IFNULL, Opcodes.IFNONNULL -> pop(REF);
            case Opcodes.GOTO -> { }
            default -> throw new Unsupported("subroutine call (jsr)");
        }
        jumpTo(target);
        if (op == Opcodes.GOTO) {
            reachable = false;
        }
    }

    @Override
    public void visitLdcInsn(Object value) {
        begin();
        if (value instanceof Integer) {
            push(INT);
        } else if (value instanceof Float) {
            push(FLOAT);
        } else if (value instanceof Long) {
            push(LONG);
        } else if (value instanceof Double) {
            push(DOUBLE);
        } else if (value instanceof ConstantDynamic) {
            push(kind(((ConstantDynamic) value).getDescriptor().charAt(0)));
        } else {
            push(REF); // String, Type (class or method type), Handle
        }
    }

    @Override
    public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
        begin();
        switchTo(dflt, labels);
    }

    @Override
    public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
        begin();
        switchTo(dflt, labels);
    }

    private void switchTo(Label dflt, Label[] labels) {
        pop(INT);
        jumpTo(dflt);
        for (Label l : labels) {
            jumpTo(l);
        }
        reachable = false;
    }

    @Override
    public void visitMultiANewArrayInsn(String descriptor, int dimensions) {
        begin();
        for (int i = 0; i < dimensions; i++) {
            pop(INT);
        }
        push(REF);
    }
}
