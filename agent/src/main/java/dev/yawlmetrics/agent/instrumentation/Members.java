package dev.yawlmetrics.agent.instrumentation;

import dev.yawlmetrics.agent.instrumentation.ClassShape.Member;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

import java.util.function.Predicate;
import java.util.regex.Pattern;

/** Matchers for declared members, on names and JVM descriptors only (nothing is resolved or loaded). */
public final class Members {
    private Members() {}

    public static Predicate<Member> named(String name) {
        return m -> m.name.equals(name);
    }

    public static Predicate<Member> nameStartsWith(String prefix) {
        return m -> m.name.startsWith(prefix);
    }

    public static Predicate<Member> nameMatches(String regex) {
        Pattern p = Pattern.compile(regex);
        return m -> p.matcher(m.name).matches();
    }

    public static Predicate<Member> takesArguments(int count) {
        return m -> m.argumentTypes().length == count;
    }

    /** Exactly these parameter types, given as classes (erasure). */
    public static Predicate<Member> takesArguments(Class<?>... types) {
        StringBuilder d = new StringBuilder("(");
        for (Class<?> t : types) {
            d.append(Type.getDescriptor(t));
        }
        String params = d.append(')').toString();
        return m -> m.descriptor.startsWith(params);
    }

    /** First parameter's type by binary name (the class need not be loadable by the agent). */
    public static Predicate<Member> firstArgumentNamed(String binaryName) {
        String d = "(L" + binaryName.replace('.', '/') + ";";
        return m -> m.descriptor.startsWith(d);
    }

    public static Predicate<Member> returns(Class<?> type) {
        String d = ")" + Type.getDescriptor(type);
        return m -> m.descriptor.endsWith(d);
    }

    public static Predicate<Member> hasDescriptor(String descriptor) {
        return m -> m.descriptor.equals(descriptor);
    }

    public static Predicate<Member> isStatic() {
        return Member::isStatic;
    }

    public static Predicate<Member> isInstanceMethod() {
        return m -> !m.isStatic() && !m.name.startsWith("<");
    }

    public static Predicate<Member> isPublic() {
        return m -> (m.access & Opcodes.ACC_PUBLIC) != 0;
    }

    public static Predicate<Member> isPrivate() {
        return m -> (m.access & Opcodes.ACC_PRIVATE) != 0;
    }

    public static Predicate<Member> isConstructor() {
        return Member::isConstructor;
    }
}
