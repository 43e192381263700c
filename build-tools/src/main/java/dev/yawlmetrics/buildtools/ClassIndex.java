package dev.yawlmetrics.buildtools;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Access flags of the classes in the jar being desugared, and of the JDK's through reflection:
 * enough to tell whether a class in the caller's package may call a method reference's target
 * directly (the generated class has no more access than its package gives it).
 */
public final class ClassIndex {
    private record Info(int access, String superName, String[] interfaces, Map<String, Integer> methods) {}

    private record Member(int access, String declaringClass) {}

    private final Map<String, Info> classes = new HashMap<>();

    public void add(byte[] classFile) {
        ClassReader reader = new ClassReader(classFile);
        Map<String, Integer> methods = new HashMap<>();
        reader.accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                methods.put(name + descriptor, access);
                return null;
            }
        }, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        classes.put(reader.getClassName(), new Info(reader.getAccess(), reader.getSuperName(), reader.getInterfaces(), methods));
    }

    public boolean contains(String internalName) {
        return classes.containsKey(internalName);
    }

    /** Null when code in {@code caller}'s package may make the call directly; else why not. */
    String inaccessible(String caller, Handle impl) {
        String owner = impl.getOwner();
        Integer classAccess = classAccess(owner);
        if (classAccess == null) {
            return "target class not in the jar or the JDK";
        }
        if ((classAccess & Opcodes.ACC_PUBLIC) == 0 && !samePackage(owner, caller)) {
            return "target class not accessible from the caller's package";
        }
        boolean constructor = impl.getTag() == Opcodes.H_NEWINVOKESPECIAL;
        Member member = resolve(owner, constructor ? "<init>" : impl.getName(), impl.getDesc(), constructor);
        if (member == null) {
            return "target method not found";
        }
        if ((member.access & Opcodes.ACC_PUBLIC) != 0) {
            return null;
        }
        if ((member.access & Opcodes.ACC_PRIVATE) != 0) {
            return "private method of another class (a nestmate)";
        }
        if (!samePackage(member.declaringClass, caller)) {
            return "protected or package-private method of another package";
        }
        return null;
    }

    private Integer classAccess(String internalName) {
        Info info = classes.get(internalName);
        if (info != null) {
            return info.access;
        }
        Class<?> c = jdkClass(internalName);
        if (c == null) {
            return null;
        }
        if (!c.getModule().isExported(c.getPackageName())) {
            return 0; // not exported: as good as package-private from our packages
        }
        return Modifier.isPublic(c.getModifiers()) ? Opcodes.ACC_PUBLIC : 0;
    }

    /** The method as resolution finds it: in the class, its superclasses, then its interfaces. */
    private Member resolve(String owner, String name, String descriptor, boolean constructor) {
        Deque<String> pending = new ArrayDeque<>();
        Set<String> seen = new HashSet<>();
        pending.add(owner);
        while (!pending.isEmpty()) {
            String type = pending.poll();
            if (!seen.add(type)) {
                continue;
            }
            Info info = classes.get(type);
            if (info != null) {
                Integer access = info.methods.get(name + descriptor);
                if (access != null) {
                    return new Member(access, type);
                }
                if (constructor) {
                    return null;
                }
                if (info.superName != null) {
                    pending.add(info.superName);
                }
                pending.addAll(java.util.List.of(info.interfaces));
                continue;
            }
            Class<?> c = jdkClass(type);
            if (c == null) {
                return null;
            }
            Member m = resolveReflectively(c, name, descriptor, constructor);
            if (m != null || constructor) {
                return m;
            }
        }
        return null;
    }

    private static Member resolveReflectively(Class<?> start, String name, String descriptor, boolean constructor) {
        if (constructor) {
            for (Constructor<?> k : start.getDeclaredConstructors()) {
                if (Type.getConstructorDescriptor(k).equals(descriptor)) {
                    return member(k, start);
                }
            }
            return null;
        }
        Deque<Class<?>> pending = new ArrayDeque<>();
        pending.add(start);
        Set<Class<?>> seen = new HashSet<>();
        while (!pending.isEmpty()) {
            Class<?> c = pending.poll();
            if (!seen.add(c)) {
                continue;
            }
            for (Method m : c.getDeclaredMethods()) {
                if (m.getName().equals(name) && Type.getMethodDescriptor(m).equals(descriptor)) {
                    return member(m, c);
                }
            }
            if (c.getSuperclass() != null) {
                pending.add(c.getSuperclass());
            }
            pending.addAll(java.util.List.of(c.getInterfaces()));
        }
        return null;
    }

    private static Member member(Executable e, Class<?> declaring) {
        int m = e.getModifiers();
        int access = Modifier.isPublic(m) ? Opcodes.ACC_PUBLIC : Modifier.isPrivate(m) ? Opcodes.ACC_PRIVATE
                : Modifier.isProtected(m) ? Opcodes.ACC_PROTECTED : 0;
        return new Member(access, declaring.getName().replace('.', '/'));
    }

    private static Class<?> jdkClass(String internalName) {
        try {
            return Class.forName(internalName.replace('/', '.'), false, ClassLoader.getPlatformClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }

    static boolean samePackage(String a, String b) {
        int i = a.lastIndexOf('/');
        int j = b.lastIndexOf('/');
        return (i < 0 ? "" : a.substring(0, i)).equals(j < 0 ? "" : b.substring(0, j));
    }
}
