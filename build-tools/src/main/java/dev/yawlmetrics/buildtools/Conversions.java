package dev.yawlmetrics.buildtools;

import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * The adaptations LambdaMetafactory makes between an interface method's erased types and the
 * implementation's (its javadoc, "linkage"): casts, boxing, unboxing and primitive widening.
 * Whatever it would not do throws {@link LambdaDesugarer.Kept}, so the site stays an invokedynamic.
 */
final class Conversions {
    private Conversions() {}

    /**
     * Converts the value on top of the stack from {@code from} to {@code to}; {@code instantiated}
     * is the type the site's instantiated method type gives it (it names the wrapper to unbox from
     * when {@code from} is a plain reference).
     */
    static void convert(MethodVisitor mv, Type from, Type to, Type instantiated) throws LambdaDesugarer.Kept {
        if (from.equals(to)) {
            return;
        }
        boolean fromPrimitive = isPrimitive(from);
        boolean toPrimitive = isPrimitive(to);
        if (fromPrimitive && toPrimitive) {
            widen(mv, from, to);
        } else if (fromPrimitive) {
            Type wrapper = isWrapper(to) ? to : isWrapper(instantiated) ? instantiated : wrapperOf(from);
            widen(mv, from, primitiveOf(wrapper));
            box(mv, primitiveOf(wrapper));
            if (!to.equals(wrapper) && !LambdaDesugarer.isObject(to)) {
                mv.visitTypeInsn(Opcodes.CHECKCAST, to.getInternalName());
            }
        } else if (toPrimitive) {
            Type wrapper = isWrapper(from) ? from : isWrapper(instantiated) ? instantiated : wrapperOf(to);
            if (!from.equals(wrapper)) {
                mv.visitTypeInsn(Opcodes.CHECKCAST, wrapper.getInternalName());
            }
            Type primitive = primitiveOf(wrapper);
            mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, wrapper.getInternalName(), primitive.getClassName() + "Value",
                    "()" + primitive.getDescriptor(), false);
            widen(mv, primitive, to);
        } else if (!LambdaDesugarer.isObject(to)) {
            mv.visitTypeInsn(Opcodes.CHECKCAST, to.getInternalName());
        }
    }

    /** The implementation's result to the interface method's return type. */
    static void convertReturn(MethodVisitor mv, Type from, Type to, Type instantiated) throws LambdaDesugarer.Kept {
        if (to.getSort() == Type.VOID) {
            if (from.getSort() != Type.VOID) {
                mv.visitInsn(from.getSize() == 2 ? Opcodes.POP2 : Opcodes.POP);
            }
            return;
        }
        if (from.getSort() == Type.VOID) {
            throw new LambdaDesugarer.Kept("void implementation for a non-void interface method");
        }
        convert(mv, from, to, instantiated);
    }

    static boolean isPrimitive(Type t) {
        return t.getSort() >= Type.BOOLEAN && t.getSort() <= Type.DOUBLE;
    }

    static boolean isWrapper(Type t) {
        return t.getSort() == Type.OBJECT && primitiveOrNull(t.getInternalName()) != null;
    }

    private static Type primitiveOf(Type wrapper) {
        return primitiveOrNull(wrapper.getInternalName());
    }

    private static Type primitiveOrNull(String internalName) {
        return switch (internalName) {
            case "java/lang/Boolean" -> Type.BOOLEAN_TYPE;
            case "java/lang/Character" -> Type.CHAR_TYPE;
            case "java/lang/Byte" -> Type.BYTE_TYPE;
            case "java/lang/Short" -> Type.SHORT_TYPE;
            case "java/lang/Integer" -> Type.INT_TYPE;
            case "java/lang/Long" -> Type.LONG_TYPE;
            case "java/lang/Float" -> Type.FLOAT_TYPE;
            case "java/lang/Double" -> Type.DOUBLE_TYPE;
            default -> null;
        };
    }

    static Type wrapperOf(Type primitive) {
        return Type.getObjectType(switch (primitive.getSort()) {
            case Type.BOOLEAN -> "java/lang/Boolean";
            case Type.CHAR -> "java/lang/Character";
            case Type.BYTE -> "java/lang/Byte";
            case Type.SHORT -> "java/lang/Short";
            case Type.INT -> "java/lang/Integer";
            case Type.LONG -> "java/lang/Long";
            case Type.FLOAT -> "java/lang/Float";
            case Type.DOUBLE -> "java/lang/Double";
            default -> throw new IllegalArgumentException("not a primitive: " + primitive);
        });
    }

    private static void box(MethodVisitor mv, Type primitive) {
        Type wrapper = wrapperOf(primitive);
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, wrapper.getInternalName(), "valueOf",
                Type.getMethodDescriptor(wrapper, primitive), false);
    }

    /** Primitive widening (JLS 5.1.2); anything else is not a conversion the metafactory makes. */
    static void widen(MethodVisitor mv, Type from, Type to) throws LambdaDesugarer.Kept {
        if (from.equals(to)) {
            return;
        }
        int f = from.getSort();
        int t = to.getSort();
        boolean fromIntLike = f == Type.BYTE || f == Type.SHORT || f == Type.CHAR || f == Type.INT;
        if (fromIntLike && t == Type.INT) {
            return; // byte, short and char are ints on the operand stack
        }
        if (f == Type.BYTE && t == Type.SHORT) {
            return;
        }
        if (fromIntLike && t == Type.LONG) {
            mv.visitInsn(Opcodes.I2L);
        } else if (fromIntLike && t == Type.FLOAT) {
            mv.visitInsn(Opcodes.I2F);
        } else if (fromIntLike && t == Type.DOUBLE) {
            mv.visitInsn(Opcodes.I2D);
        } else if (f == Type.LONG && t == Type.FLOAT) {
            mv.visitInsn(Opcodes.L2F);
        } else if (f == Type.LONG && t == Type.DOUBLE) {
            mv.visitInsn(Opcodes.L2D);
        } else if (f == Type.FLOAT && t == Type.DOUBLE) {
            mv.visitInsn(Opcodes.F2D);
        } else {
            throw new LambdaDesugarer.Kept("no widening from " + from + " to " + to);
        }
    }
}
