package dev.yawlmetrics.agent.instrumentation;

import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The check a woven class passes before the JVM sees it, held against the JVM's own verifier:
 * it must accept every method of real compiled classes (else an instrumentation would be
 * switched off for nothing), and reject each defect a weaving slip can produce that the JVM
 * rejects (else the engine's class would fail to load).
 */
class WovenClassVerifierTest {
    /** Control flow of every kind a checked method can have: loops, handlers, switches, wide values. */
    public static class Fixture {
        public static int loop(int n) {
            int sum = 0;
            for (int i = 0; i < n; i++) {
                sum += i;
            }
            return sum;
        }

        public static int guarded(int n) {
            int kept = n * 2;
            try {
                kept = Integer.parseInt("" + n);
            } catch (NumberFormatException e) {
                return kept;
            }
            return kept + 1;
        }

        public static long wide(long a, double b) {
            switch ((int) a) {
                case 1: return a;
                case 7: return (long) b;
                default: return a + 1;
            }
        }

        public void sink(String s) {
            if (s == null) {
                return;
            }
            System.identityHashCode(s);
        }
    }

    public static void sawLong(long value) {}

    private static byte[] fixture() throws IOException {
        try (InputStream in = Fixture.class.getResourceAsStream("/" + Fixture.class.getName().replace('.', '/') + ".class")) {
            return in.readAllBytes();
        }
    }

    private static Set<String> methodsOf(byte[] classfile) {
        Set<String> names = new HashSet<>();
        new ClassReader(classfile).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                names.add(name + descriptor);
                return null;
            }
        }, ClassReader.SKIP_CODE);
        return names;
    }

    /** The fixture with one method's code passed through {@code mutation}; frames are copied, never recomputed. */
    private static byte[] mutate(String method, Function<MethodVisitor, MethodVisitor> mutation) throws IOException {
        ClassReader reader = new ClassReader(fixture());
        ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
                return name.equals(method) ? mutation.apply(mv) : mv;
            }
        }, ClassReader.EXPAND_FRAMES);
        return writer.toByteArray();
    }

    /** A mutation that writes {@code insert} before the method's first instruction. */
    private static Function<MethodVisitor, MethodVisitor> atEntry(java.util.function.Consumer<MethodVisitor> insert) {
        return mv -> new MethodVisitor(Opcodes.ASM9, mv) {
            @Override
            public void visitCode() {
                super.visitCode();
                insert.accept(mv);
            }
        };
    }

    /** Null when the JVM links the class (which verifies every method), else the VerifyError's message. */
    private static String jvmVerdict(byte[] classfile) {
        ClassLoader isolated = new ClassLoader(WovenClassVerifierTest.class.getClassLoader()) {
            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                throw new ClassNotFoundException(name);
            }

            Class<?> define() {
                return defineClass(Fixture.class.getName(), classfile, 0, classfile.length);
            }
        };
        try {
            isolated.getClass().getDeclaredMethod("define").invoke(isolated);
            Class.forName(Fixture.class.getName(), true, isolated); // links, so verifies every method
            return null;
        } catch (java.lang.reflect.InvocationTargetException e) {
            return e.getCause() instanceof VerifyError ? e.getCause().getMessage() : rethrow(e.getCause());
        } catch (VerifyError e) {
            return e.getMessage();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private static String rethrow(Throwable t) {
        throw new AssertionError("not a verification failure", t);
    }

    @Test
    void theUnchangedFixturePassesBothTheCheckAndTheJvm() throws Exception {
        byte[] copy = mutate("none", mv -> mv);
        assertNull(WovenClassVerifier.verify(copy, methodsOf(copy)));
        assertNull(jvmVerdict(copy));
    }

    @Test
    void everyDefectTheJvmRejectsIsRejectedBeforeTheJvmSeesIt() throws Exception {
        Map<String, byte[]> defects = new LinkedHashMap<>();
        defects.put("a pop from the empty stack at entry", mutate("loop", atEntry(mv -> mv.visitInsn(Opcodes.POP))));
        defects.put("a hook called with an int where it takes a long", mutate("loop", atEntry(mv -> {
            mv.visitInsn(Opcodes.ICONST_0);
            mv.visitMethodInsn(Opcodes.INVOKESTATIC, WovenClassVerifierTest.class.getName().replace('.', '/'), "sawLong", "(J)V", false);
        })));
        defects.put("an int parameter loaded as a long", mutate("loop", mv -> new MethodVisitor(Opcodes.ASM9, mv) {
            @Override
            public void visitVarInsn(int opcode, int slot) {
                super.visitVarInsn(opcode == Opcodes.ILOAD && slot == 0 ? Opcodes.LLOAD : opcode, slot);
            }
        }));
        defects.put("a value left on the stack at a loop's back edge", mutate("loop", mv -> new MethodVisitor(Opcodes.ASM9, mv) {
            @Override
            public void visitIincInsn(int slot, int increment) {
                super.visitIincInsn(slot, increment);
                super.visitInsn(Opcodes.ICONST_0);
            }
        }));
        defects.put("a reference stored where the handler expects an int", mutate("guarded", mv -> new MethodVisitor(Opcodes.ASM9, mv) {
            boolean done;

            @Override
            public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
                super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
                if (!done && name.equals("parseInt")) {
                    done = true;
                    super.visitInsn(Opcodes.ACONST_NULL);
                    super.visitVarInsn(Opcodes.ASTORE, 1); // 'kept', an int in the handler's frame
                }
            }
        }));
        defects.put("code after a return without a frame", mutate("sink", atEntry(mv -> mv.visitInsn(Opcodes.RETURN))));
        defects.put("a reference returned from a method that returns int", mutate("loop", mv -> new MethodVisitor(Opcodes.ASM9, mv) {
            @Override
            public void visitInsn(int opcode) {
                if (opcode == Opcodes.IRETURN) {
                    super.visitInsn(Opcodes.POP);
                    super.visitInsn(Opcodes.ACONST_NULL);
                    super.visitInsn(Opcodes.ARETURN);
                } else {
                    super.visitInsn(opcode);
                }
            }
        }));
        defects.put("a long switched on as an int", mutate("wide", mv -> new MethodVisitor(Opcodes.ASM9, mv) {
            @Override
            public void visitInsn(int opcode) {
                if (opcode != Opcodes.L2I) {
                    super.visitInsn(opcode);
                }
            }
        }));
        defects.put("a jump to a label with no frame", mutate("sink", atEntry(mv -> {
            Label here = new Label();
            mv.visitLabel(here);
            mv.visitInsn(Opcodes.ICONST_0);
            mv.visitJumpInsn(Opcodes.IFNE, here);
        })));

        List<String> missed = new ArrayList<>();
        for (Map.Entry<String, byte[]> d : defects.entrySet()) {
            byte[] classfile = d.getValue();
            String jvm = jvmVerdict(classfile);
            assertNotNull(jvm, d.getKey() + ": the JVM must reject this defect, or it is not one");
            String ours = WovenClassVerifier.verify(classfile, methodsOf(classfile));
            if (ours == null) {
                missed.add(d.getKey() + " (JVM: " + jvm + ")");
            } else {
                assertTrue(ours.startsWith("woven method "), ours);
            }
        }
        assertEquals(List.of(), missed, "defects the check let through to the JVM");
    }

    @Test
    void theFrameCheckAcceptsEveryMethodOfTheJdksOwnClasses() throws Exception {
        FileSystem jrt = FileSystems.getFileSystem(URI.create("jrt:/"));
        List<String> rejected = new ArrayList<>();
        int[] checked = {0};
        for (String dir : List.of("/modules/java.base/java/util", "/modules/java.base/java/lang", "/modules/java.base/java/time",
                "/modules/java.net.http/jdk/internal/net/http")) {
            try (Stream<Path> files = Files.walk(jrt.getPath(dir))) {
                files.filter(p -> p.toString().endsWith(".class")).forEach(p -> {
                    try {
                        byte[] classfile = Files.readAllBytes(p);
                        String verdict = WovenClassVerifier.verify(classfile, methodsOf(classfile));
                        checked[0]++;
                        if (verdict != null) {
                            rejected.add(p + ": " + verdict);
                        }
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
            }
        }
        assertTrue(checked[0] > 2000, "checked " + checked[0] + " classes");
        assertEquals(List.of(), rejected.subList(0, Math.min(10, rejected.size())), rejected.size() + " classes rejected");
    }

    @Test
    void aClassFileWithoutFramesGoesToTheAnalyserWhichStillCatchesAnUnderflow() {
        ClassWriter writer = new ClassWriter(0);
        writer.visit(Opcodes.V1_5, Opcodes.ACC_PUBLIC, "OldStyle", null, "java/lang/Object", null);
        MethodVisitor mv = writer.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "f", "()V", null, null);
        mv.visitCode();
        mv.visitInsn(Opcodes.POP);
        mv.visitInsn(Opcodes.RETURN);
        mv.visitMaxs(1, 0);
        mv.visitEnd();
        writer.visitEnd();
        String verdict = WovenClassVerifier.verify(writer.toByteArray(), Set.of("f()V"));
        assertNotNull(verdict);
        assertTrue(verdict.startsWith("woven method f()V does not verify"), verdict);
    }
}
