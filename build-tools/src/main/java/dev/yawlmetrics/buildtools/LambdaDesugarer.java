package dev.yawlmetrics.buildtools;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns the lambdas and method references of a class into ordinary classes, as javac did before
 * Java 8 with anonymous classes.
 *
 * <p>Why: javac compiles each lambda to an invokedynamic call site bound by LambdaMetafactory, and
 * the first call of each site makes the JVM spin a hidden class with the class-file API. The
 * agent's jar (its own code, Micrometer, the Prometheus client) runs about 200 such sites while an
 * engine starts, on the engine's threads and on the agent's start-up thread, and spinning them,
 * plus compiling the class-file API hot enough for it, is a measurable part of the agent's
 * start-up cost (docs/benchmarks.md, "Start-up"). A class read from the jar costs a fraction of
 * that.
 *
 * <p>A site is replaced only when its meaning is certain; anything else keeps its invokedynamic
 * and is counted with the reason ({@link #kept()}). For a site whose implementation method
 * belongs to the class itself (every lambda body, every reference to one of its own private
 * methods) the class gains a package-private static accessor that makes the call, so nothing
 * private becomes less private. The generated class lives in the same package, holds the captured
 * values in final fields, and is a singleton when nothing is captured, as the metafactory's is.
 */
public final class LambdaDesugarer {
    static final String METAFACTORY_OWNER = "java/lang/invoke/LambdaMetafactory";
    /** Infix of the generated classes' names: Host$$Lambda$1. */
    public static final String GENERATED_INFIX = "$$Lambda$";
    private static final Type OBJECT = Type.getObjectType("java/lang/Object");

    private final ClassIndex index;
    private final Map<String, Integer> kept = new TreeMap<>();
    private int replaced;

    public LambdaDesugarer(ClassIndex index) {
        this.index = index;
    }

    /** The rewritten class and the classes generated for its lambdas, in jar order. */
    public record Result(byte[] host, Map<String, byte[]> generated) {}

    /** Why a site stays an invokedynamic. */
    static final class Kept extends Exception {
        Kept(String reason) {
            super(reason, null, false, false);
        }
    }

    /** Call sites replaced so far. */
    public int replaced() {
        return replaced;
    }

    /** Call sites left as invokedynamic so far, by reason. */
    public Map<String, Integer> kept() {
        return kept;
    }

    /** A LambdaMetafactory call site: the bootstrap method's name and the implementation it links. */
    public record LambdaSite(String bootstrap, Handle implementation) {}

    /**
     * The LambdaMetafactory call sites left in a class file: what the desugaring did not replace.
     * The one reader of them, for this module's tests and for the check of the built agent jar.
     */
    public static List<LambdaSite> lambdaSites(byte[] classFile) {
        List<LambdaSite> sites = new ArrayList<>();
        new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitInvokeDynamicInsn(String n, String d, Handle bsm, Object... args) {
                        if (bsm.getOwner().equals(METAFACTORY_OWNER)) {
                            sites.add(new LambdaSite(bsm.getName(), (Handle) args[1]));
                        }
                    }
                };
            }
        }, ClassReader.SKIP_DEBUG);
        return sites;
    }

    /** Null when the class has no lambda call site this desugarer replaces. */
    public Result desugar(byte[] classFile) {
        ClassNode host = new ClassNode();
        new ClassReader(classFile).accept(host, 0);
        Set<String> names = new HashSet<>();
        for (MethodNode m : host.methods) {
            names.add(m.name);
        }
        Map<String, byte[]> generated = new LinkedHashMap<>();
        List<MethodNode> accessors = new ArrayList<>();
        int counter = 0;
        for (MethodNode method : host.methods) {
            for (AbstractInsnNode insn = method.instructions.getFirst(); insn != null; insn = insn.getNext()) {
                if (!(insn instanceof InvokeDynamicInsnNode indy) || !METAFACTORY_OWNER.equals(indy.bsm.getOwner())) {
                    continue;
                }
                try {
                    if (!"metafactory".equals(indy.bsm.getName())) {
                        throw new Kept("LambdaMetafactory." + indy.bsm.getName() + " (serializable, marker interfaces or bridges)");
                    }
                    String genName;
                    do {
                        genName = host.name + GENERATED_INFIX + (++counter);
                    } while (index.contains(genName) || generated.containsKey(genName));
                    String accessorName = null;
                    Handle impl = (Handle) indy.bsmArgs[1];
                    if (impl.getOwner().equals(host.name)) {
                        accessorName = "lambda$desugared$" + counter;
                        while (names.contains(accessorName)) {
                            accessorName += "$";
                        }
                    } else {
                        String why = index.inaccessible(host.name, impl);
                        if (why != null) {
                            throw new Kept(why);
                        }
                    }
                    Site site = Site.of(host, indy, genName, accessorName);
                    generated.put(genName, site.generate());
                    if (accessorName != null) {
                        names.add(accessorName);
                        accessors.add(site.accessor());
                    }
                    MethodInsnNode call = new MethodInsnNode(Opcodes.INVOKESTATIC, genName, "create", indy.desc, false);
                    method.instructions.set(indy, call);
                    insn = call;
                    replaced++;
                } catch (Kept k) {
                    kept.merge(k.getMessage(), 1, Integer::sum);
                }
            }
        }
        if (generated.isEmpty()) {
            return null;
        }
        host.methods.addAll(accessors);
        // Frames are kept as javac wrote them: a call that pops the captured values and pushes the
        // interface leaves every frame as it was; only the new accessors need their maxima.
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        host.accept(writer);
        return new Result(writer.toByteArray(), generated);
    }

    /** One call site: what the metafactory would have been asked to build. */
    private static final class Site {
        final ClassNode host;
        final boolean hostIsInterface;
        final String genName;
        final String accessorName;
        final Handle impl;
        final Type iface;
        final String samName;
        final Type sam;
        final Type instantiated;
        final Type[] captured;
        /** The implementation's parameters as the call sees them (receiver first for instance methods). */
        final Type[] targets;
        final Type targetReturn;

        private Site(ClassNode host, InvokeDynamicInsnNode indy, String genName, String accessorName) throws Kept {
            this.host = host;
            this.hostIsInterface = (host.access & Opcodes.ACC_INTERFACE) != 0;
            this.genName = genName;
            this.accessorName = accessorName;
            this.sam = (Type) indy.bsmArgs[0];
            this.impl = (Handle) indy.bsmArgs[1];
            this.instantiated = (Type) indy.bsmArgs[2];
            this.samName = indy.name;
            Type indyType = Type.getMethodType(indy.desc);
            this.iface = indyType.getReturnType();
            this.captured = indyType.getArgumentTypes();
            Type owner = Type.getObjectType(impl.getOwner());
            Type[] implArgs = Type.getArgumentTypes(impl.getDesc());
            switch (impl.getTag()) {
                case Opcodes.H_INVOKESTATIC -> {
                    targets = implArgs;
                    targetReturn = Type.getReturnType(impl.getDesc());
                }
                case Opcodes.H_INVOKEVIRTUAL, Opcodes.H_INVOKEINTERFACE, Opcodes.H_INVOKESPECIAL -> {
                    if (impl.getTag() == Opcodes.H_INVOKESPECIAL && accessorName == null) {
                        throw new Kept("invokespecial of another class's method");
                    }
                    targets = new Type[implArgs.length + 1];
                    targets[0] = owner;
                    System.arraycopy(implArgs, 0, targets, 1, implArgs.length);
                    targetReturn = Type.getReturnType(impl.getDesc());
                }
                case Opcodes.H_NEWINVOKESPECIAL -> {
                    targets = implArgs;
                    targetReturn = owner;
                }
                default -> throw new Kept("method handle kind " + impl.getTag());
            }
            if (captured.length + sam.getArgumentTypes().length != targets.length) {
                throw new Kept("arity differs from the implementation's");
            }
        }

        static Site of(ClassNode host, InvokeDynamicInsnNode indy, String genName, String accessorName) throws Kept {
            return new Site(host, indy, genName, accessorName);
        }

        byte[] generate() throws Kept {
            ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
            cw.visit(host.version, Opcodes.ACC_FINAL | Opcodes.ACC_SUPER | Opcodes.ACC_SYNTHETIC, genName, null,
                    "java/lang/Object", new String[] {iface.getInternalName()});
            if (host.sourceFile != null) {
                cw.visitSource(host.sourceFile, null);
            }
            String genDesc = "L" + genName + ";";
            for (int i = 0; i < captured.length; i++) {
                cw.visitField(Opcodes.ACC_PRIVATE | Opcodes.ACC_FINAL, "arg$" + i, captured[i].getDescriptor(), null, null).visitEnd();
            }
            String ctorDesc = Type.getMethodDescriptor(Type.VOID_TYPE, captured);

            MethodVisitor ctor = cw.visitMethod(Opcodes.ACC_PRIVATE, "<init>", ctorDesc, null, null);
            ctor.visitCode();
            ctor.visitVarInsn(Opcodes.ALOAD, 0);
            ctor.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
            int slot = 1;
            for (int i = 0; i < captured.length; i++) {
                ctor.visitVarInsn(Opcodes.ALOAD, 0);
                ctor.visitVarInsn(captured[i].getOpcode(Opcodes.ILOAD), slot);
                ctor.visitFieldInsn(Opcodes.PUTFIELD, genName, "arg$" + i, captured[i].getDescriptor());
                slot += captured[i].getSize();
            }
            ctor.visitInsn(Opcodes.RETURN);
            ctor.visitMaxs(0, 0);
            ctor.visitEnd();

            String createDesc = Type.getMethodDescriptor(iface, captured);
            MethodVisitor create = cw.visitMethod(Opcodes.ACC_STATIC | Opcodes.ACC_SYNTHETIC, "create", createDesc, null, null);
            create.visitCode();
            if (captured.length == 0) {
                // The metafactory hands out one instance per non-capturing site; so does this.
                cw.visitField(Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC | Opcodes.ACC_FINAL, "INSTANCE", genDesc, null, null).visitEnd();
                MethodVisitor clinit = cw.visitMethod(Opcodes.ACC_STATIC, "<clinit>", "()V", null, null);
                clinit.visitCode();
                clinit.visitTypeInsn(Opcodes.NEW, genName);
                clinit.visitInsn(Opcodes.DUP);
                clinit.visitMethodInsn(Opcodes.INVOKESPECIAL, genName, "<init>", "()V", false);
                clinit.visitFieldInsn(Opcodes.PUTSTATIC, genName, "INSTANCE", genDesc);
                clinit.visitInsn(Opcodes.RETURN);
                clinit.visitMaxs(0, 0);
                clinit.visitEnd();
                create.visitFieldInsn(Opcodes.GETSTATIC, genName, "INSTANCE", genDesc);
            } else {
                create.visitTypeInsn(Opcodes.NEW, genName);
                create.visitInsn(Opcodes.DUP);
                slot = 0;
                for (Type t : captured) {
                    create.visitVarInsn(t.getOpcode(Opcodes.ILOAD), slot);
                    slot += t.getSize();
                }
                create.visitMethodInsn(Opcodes.INVOKESPECIAL, genName, "<init>", ctorDesc, false);
            }
            create.visitInsn(Opcodes.ARETURN);
            create.visitMaxs(0, 0);
            create.visitEnd();

            MethodVisitor m = cw.visitMethod(Opcodes.ACC_PUBLIC, samName, sam.getDescriptor(), null, null);
            m.visitCode();
            boolean direct = accessorName == null;
            if (direct && impl.getTag() == Opcodes.H_NEWINVOKESPECIAL) {
                m.visitTypeInsn(Opcodes.NEW, impl.getOwner());
                m.visitInsn(Opcodes.DUP);
            }
            for (int i = 0; i < captured.length; i++) {
                m.visitVarInsn(Opcodes.ALOAD, 0);
                m.visitFieldInsn(Opcodes.GETFIELD, genName, "arg$" + i, captured[i].getDescriptor());
                Conversions.convert(m, captured[i], targets[i], captured[i]);
            }
            Type[] samArgs = sam.getArgumentTypes();
            Type[] instArgs = instantiated.getArgumentTypes();
            slot = 1;
            for (int j = 0; j < samArgs.length; j++) {
                m.visitVarInsn(samArgs[j].getOpcode(Opcodes.ILOAD), slot);
                slot += samArgs[j].getSize();
                Conversions.convert(m, samArgs[j], targets[captured.length + j], instArgs[j]);
            }
            if (direct) {
                invokeImplementation(m);
            } else {
                m.visitMethodInsn(Opcodes.INVOKESTATIC, host.name, accessorName,
                        Type.getMethodDescriptor(targetReturn, targets), hostIsInterface);
            }
            Conversions.convertReturn(m, targetReturn, sam.getReturnType(), instantiated.getReturnType());
            m.visitInsn(sam.getReturnType().getOpcode(Opcodes.IRETURN));
            m.visitMaxs(0, 0);
            m.visitEnd();
            cw.visitEnd();
            return cw.toByteArray();
        }

        /** The static method the host gains: makes the call with the host's own access. */
        MethodNode accessor() {
            int access = Opcodes.ACC_STATIC | Opcodes.ACC_SYNTHETIC | (hostIsInterface ? Opcodes.ACC_PUBLIC : 0);
            MethodNode a = new MethodNode(access, accessorName, Type.getMethodDescriptor(targetReturn, targets), null, null);
            a.visitCode();
            if (impl.getTag() == Opcodes.H_NEWINVOKESPECIAL) {
                a.visitTypeInsn(Opcodes.NEW, impl.getOwner());
                a.visitInsn(Opcodes.DUP);
            }
            int slot = 0;
            for (Type t : targets) {
                a.visitVarInsn(t.getOpcode(Opcodes.ILOAD), slot);
                slot += t.getSize();
            }
            invokeImplementation(a);
            a.visitInsn(targetReturn.getOpcode(Opcodes.IRETURN));
            a.visitMaxs(0, 0);
            a.visitEnd();
            return a;
        }

        private void invokeImplementation(MethodVisitor mv) {
            switch (impl.getTag()) {
                case Opcodes.H_INVOKESTATIC -> mv.visitMethodInsn(Opcodes.INVOKESTATIC, impl.getOwner(), impl.getName(), impl.getDesc(), impl.isInterface());
                case Opcodes.H_INVOKEVIRTUAL -> mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, impl.getOwner(), impl.getName(), impl.getDesc(), false);
                case Opcodes.H_INVOKEINTERFACE -> mv.visitMethodInsn(Opcodes.INVOKEINTERFACE, impl.getOwner(), impl.getName(), impl.getDesc(), true);
                case Opcodes.H_INVOKESPECIAL -> mv.visitMethodInsn(Opcodes.INVOKESPECIAL, impl.getOwner(), impl.getName(), impl.getDesc(), impl.isInterface());
                case Opcodes.H_NEWINVOKESPECIAL -> mv.visitMethodInsn(Opcodes.INVOKESPECIAL, impl.getOwner(), "<init>", impl.getDesc(), false);
                default -> throw new IllegalStateException("checked in the constructor: " + impl.getTag());
            }
        }
    }

    static boolean isObject(Type t) {
        return t.equals(OBJECT);
    }
}
