package dev.yawlmetrics.agent.instrumentation;

import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.FieldVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Predicate;

/**
 * What a class file declares (name, super class, interfaces, fields, methods), read straight
 * from its bytes. Nothing is loaded or resolved, so asking about an engine class can never
 * trigger class loading inside a transformer.
 */
public final class ClassShape {
    /** A declared field or method: access flags, name, JVM descriptor; for methods also max locals. */
    public static final class Member {
        public final int access;
        public final String name;
        public final String descriptor;
        int maxLocals = -1;

        Member(int access, String name, String descriptor) {
            this.access = access;
            this.name = name;
            this.descriptor = descriptor;
        }

        public boolean isStatic() {
            return (access & Opcodes.ACC_STATIC) != 0;
        }

        public boolean isConstructor() {
            return name.equals("<init>");
        }

        public Type[] argumentTypes() {
            return Type.getArgumentTypes(descriptor);
        }

        public Type returnType() {
            return Type.getReturnType(descriptor);
        }

        /** The field's type (for fields). */
        public Type type() {
            return Type.getType(descriptor);
        }

        @Override
        public String toString() {
            return name + descriptor;
        }
    }

    private final int access;
    private final String internalName;
    private final String superName;
    private final List<String> interfaces;
    private final List<Member> fields;
    private final List<Member> methods;

    private ClassShape(int access, String internalName, String superName, List<String> interfaces, List<Member> fields, List<Member> methods) {
        this.access = access;
        this.internalName = internalName;
        this.superName = superName;
        this.interfaces = interfaces;
        this.fields = fields;
        this.methods = methods;
    }

    public static ClassShape read(byte[] classFile) {
        return read(new ClassReader(classFile));
    }

    public static ClassShape read(ClassReader reader) {
        List<Member> fields = new ArrayList<>();
        List<Member> methods = new ArrayList<>();
        String[] header = new String[2];
        int[] flags = new int[1];
        List<String> interfaces = new ArrayList<>();
        reader.accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public void visit(int version, int access, String name, String signature, String superName, String[] itfs) {
                flags[0] = access;
                header[0] = name;
                header[1] = superName;
                if (itfs != null) {
                    Collections.addAll(interfaces, itfs);
                }
            }

            @Override
            public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
                fields.add(new Member(access, name, descriptor));
                return null;
            }

            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                methods.add(new Member(access, name, descriptor));
                return null;
            }
        }, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        int[] maxLocals = maxLocalsInFileOrder(reader);
        for (int i = 0; i < methods.size(); i++) {
            methods.get(i).maxLocals = maxLocals[i];
        }
        return new ClassShape(flags[0], header[0], header[1], Collections.unmodifiableList(interfaces),
                Collections.unmodifiableList(fields), Collections.unmodifiableList(methods));
    }

    /**
     * Each method's max_locals, -1 for a method without code, in class-file order (the order
     * ASM visits them). Read from the Code attributes' headers: decoding every instruction of
     * every method only to learn this was most of the cost of reading a class's shape, and a
     * target such as the JDK's HttpClientImpl has a hundred methods of which one is woven.
     */
    static int[] maxLocalsInFileOrder(ClassReader reader) {
        int offset = reader.header + 6; // access_flags, this_class, super_class
        offset += 2 + 2 * reader.readUnsignedShort(offset); // interfaces
        char[] buffer = new char[reader.getMaxStringLength()];
        int fields = reader.readUnsignedShort(offset);
        offset += 2;
        for (int i = 0; i < fields; i++) {
            offset = skipAttributes(reader, offset + 6);
        }
        int methods = reader.readUnsignedShort(offset);
        offset += 2;
        int[] maxLocals = new int[methods];
        for (int i = 0; i < methods; i++) {
            maxLocals[i] = -1;
            int attributes = reader.readUnsignedShort(offset + 6);
            offset += 8;
            for (int a = 0; a < attributes; a++) {
                if ("Code".equals(reader.readUTF8(offset, buffer))) {
                    maxLocals[i] = reader.readUnsignedShort(offset + 8); // after attribute_length and max_stack
                }
                offset += 6 + reader.readInt(offset + 2);
            }
        }
        return maxLocals;
    }

    private static int skipAttributes(ClassReader reader, int offset) {
        int attributes = reader.readUnsignedShort(offset);
        offset += 2;
        for (int a = 0; a < attributes; a++) {
            offset += 6 + reader.readInt(offset + 2);
        }
        return offset;
    }

    /** The class file {@code loader} would load for {@code binaryName}, or null when it has none. */
    public static ClassShape find(ClassLoader loader, String binaryName) {
        String resource = binaryName.replace('.', '/') + ".class";
        try (InputStream in = loader == null ? ClassLoader.getSystemResourceAsStream(resource) : loader.getResourceAsStream(resource)) {
            return in == null ? null : read(in.readAllBytes());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    public boolean isInterface() {
        return (access & Opcodes.ACC_INTERFACE) != 0;
    }

    public String internalName() {
        return internalName;
    }

    public String binaryName() {
        return internalName.replace('/', '.');
    }

    public String superName() {
        return superName;
    }

    public List<String> interfaces() {
        return interfaces;
    }

    public List<Member> methods() {
        return methods;
    }

    public List<Member> methods(Predicate<Member> matcher) {
        List<Member> out = new ArrayList<>();
        for (Member m : methods) {
            if (matcher.test(m)) {
                out.add(m);
            }
        }
        return out;
    }

    public boolean declaresMethod(Predicate<Member> matcher) {
        for (Member m : methods) {
            if (matcher.test(m)) {
                return true;
            }
        }
        return false;
    }

    /** The declared instance or static field of that name, or null. */
    public Member field(String name) {
        for (Member f : fields) {
            if (f.name.equals(name)) {
                return f;
            }
        }
        return null;
    }

    /** A named expectation for {@link #missing}: a description for the log plus the matcher. */
    public static final class Expect {
        final String description;
        final Predicate<Member> matcher;

        Expect(String description, Predicate<Member> matcher) {
            this.description = description;
            this.matcher = matcher;
        }
    }

    public static Expect method(String description, Predicate<Member> matcher) {
        return new Expect(description, matcher);
    }

    /** @return null when every expectation matches a declared method, else one sentence naming the missing ones. */
    public String missing(Expect... expectations) {
        List<String> missing = new ArrayList<>();
        for (Expect e : expectations) {
            if (!declaresMethod(e.matcher)) {
                missing.add(e.description);
            }
        }
        return missing.isEmpty() ? null : "method(s) not found: " + String.join(", ", missing);
    }
}
