package dev.yawlmetrics.agent.instrumentation;

import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A class's shape is read without decoding its code; the one thing taken from the code, each
 * method's max_locals (where the weaver puts its own locals), must be what ASM reads when it
 * does decode every instruction.
 */
class ClassShapeTest {
    /** Fields with attributes (a constant value), an abstract method, wide locals. */
    abstract static class Mixed {
        static final int CONSTANT = 7;
        @Deprecated
        long field;

        abstract void nothing();

        static double wide(long a, double b, int c) {
            double d = a * b;
            long e = c;
            return d + e;
        }
    }

    private static List<Integer> maxLocalsDecodingEveryInstruction(byte[] classfile) {
        List<Integer> result = new ArrayList<>();
        new ClassReader(classfile).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                int index = result.size();
                result.add(-1);
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitMaxs(int maxStack, int maxLocals) {
                        result.set(index, maxLocals);
                    }
                };
            }
        }, 0);
        return result;
    }

    private static byte[] classFile(Class<?> c) throws Exception {
        String resource = "/" + c.getName().replace('.', '/') + ".class";
        try (InputStream in = c.getResourceAsStream(resource)) {
            return in.readAllBytes();
        }
    }

    @Test
    void maxLocalsComeFromTheCodeAttributesAsAsmReadsThem() throws Exception {
        int methods = 0;
        for (Class<?> c : List.of(Mixed.class, java.util.HashMap.class, java.util.concurrent.ConcurrentHashMap.class, String.class,
                Class.forName("jdk.internal.net.http.HttpClientImpl", false, ClassLoader.getPlatformClassLoader()))) {
            byte[] classfile = classFile(c);
            List<Integer> expected = maxLocalsDecodingEveryInstruction(classfile);
            List<Integer> read = new ArrayList<>();
            for (ClassShape.Member m : ClassShape.read(classfile).methods()) {
                read.add(m.maxLocals);
            }
            assertEquals(expected, read, c.getName());
            methods += read.size();
        }
        assertTrue(methods > 300, methods + " methods compared");
        assertTrue(ClassShape.read(classFile(Mixed.class)).methods().stream().anyMatch(m -> m.maxLocals < 0), "the abstract method has none");
    }
}
