package dev.yawlmetrics.agent.instrumentation;

import dev.yawlmetrics.agent.instrumentation.ClassShape.Member;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Everything the instrumentations want changed in one class, collected first and written in one
 * pass: advice per method, method-body rewriters (call-site replacement, constructor tracking),
 * and added interfaces, fields and methods. Several instrumentations may contribute to the same
 * class; their advice on one method is woven together (one set of locals, one handler).
 */
public final class Weaving {

    /** Rewrites the instructions of one method (for example one kind of call). */
    public interface MethodRewriter {
        MethodVisitor wrap(MethodVisitor next, ClassShape type, Member method);

        /**
         * Internal names of the agent classes the rewritten code calls (checked for visibility
         * from the engine's loader, like advice hooks); a class's own generated methods need none.
         */
        default List<String> calledClasses() {
            return List.of();
        }
    }

    private static final class AdviceRule {
        final Predicate<Member> matcher;
        final MethodAdvice advice;

        AdviceRule(Predicate<Member> matcher, MethodAdvice advice) {
            this.matcher = matcher;
            this.advice = advice;
        }
    }

    private static final class RewriteRule {
        final Predicate<Member> matcher;
        final MethodRewriter rewriter;

        RewriteRule(Predicate<Member> matcher, MethodRewriter rewriter) {
            this.matcher = matcher;
            this.rewriter = rewriter;
        }
    }

    private final ClassShape type;
    private final ClassLoader loader;
    private final List<AdviceRule> advice = new ArrayList<>();
    private final List<RewriteRule> rewrites = new ArrayList<>();
    private final Set<String> addedInterfaces = new LinkedHashSet<>();
    private final List<Consumer<ClassVisitor>> addedMembers = new ArrayList<>();
    private final Set<String> hookOwners = new LinkedHashSet<>();

    public Weaving(ClassShape type, ClassLoader loader) {
        this.type = type;
        this.loader = loader;
    }

    public ClassShape type() {
        return type;
    }

    /** The class loader defining the class (null = bootstrap). */
    public ClassLoader loader() {
        return loader;
    }

    public Weaving advise(Predicate<Member> methods, MethodAdvice methodAdvice) {
        advice.add(new AdviceRule(methods, methodAdvice));
        for (MethodAdvice.Call c : methodAdvice.enter) {
            hookOwners.add(c.hook.owner);
        }
        for (MethodAdvice.Call c : methodAdvice.exit) {
            hookOwners.add(c.hook.owner);
        }
        return this;
    }

    /** Declares a class the woven code calls (rewriters that call out of the class). */
    public Weaving calls(String internalName) {
        hookOwners.add(internalName);
        return this;
    }

    /**
     * The first class the woven code would call that the engine's loader does not resolve to the
     * agent's own class (an isolated web-app loader, say), or null when all resolve. Such a class
     * is left unchanged: calling an invisible class would throw NoClassDefFoundError into the engine.
     */
    public String unreachableHook() {
        for (String owner : hookOwners) {
            String name = owner.replace('/', '.');
            Class<?> seen;
            try {
                seen = Class.forName(name, false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                return name;
            }
            Class<?> ours;
            try {
                ours = Class.forName(name, false, Weaving.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                continue; // defined elsewhere on purpose (the java.net.http bridge): existing is enough
            }
            if (seen != ours) {
                return name;
            }
        }
        return null;
    }

    public Weaving rewrite(Predicate<Member> methods, MethodRewriter rewriter) {
        rewrites.add(new RewriteRule(methods, rewriter));
        for (String owner : rewriter.calledClasses()) {
            if (!owner.equals(type.internalName())) {
                hookOwners.add(owner);
            }
        }
        return this;
    }

    /** Adds an interface, once, however many instrumentations ask for it. */
    public Weaving implement(String internalName) {
        addedInterfaces.add(internalName);
        return this;
    }

    public boolean implementsInterface(String internalName) {
        return addedInterfaces.contains(internalName) || type.interfaces().contains(internalName);
    }

    /** Writes new fields or methods (called at the end of the class). */
    public Weaving addMembers(Consumer<ClassVisitor> writer) {
        addedMembers.add(writer);
        return this;
    }

    public boolean isEmpty() {
        return advice.isEmpty() && rewrites.isEmpty() && addedInterfaces.isEmpty() && addedMembers.isEmpty();
    }

    /** The visitor that applies everything collected, writing into {@code out}. */
    public ClassVisitor applyTo(ClassVisitor out) {
        return new ClassVisitor(Opcodes.ASM9, out) {
            @Override
            public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
                List<String> all = new ArrayList<>();
                if (interfaces != null) {
                    all.addAll(List.of(interfaces));
                }
                for (String i : addedInterfaces) {
                    if (!all.contains(i)) {
                        all.add(i);
                    }
                }
                String sig = signature;
                if (sig != null && !addedInterfaces.isEmpty()) {
                    StringBuilder s = new StringBuilder(sig);
                    for (String i : addedInterfaces) {
                        s.append('L').append(i).append(';');
                    }
                    sig = s.toString();
                }
                super.visit(version, access, name, sig, superName, all.toArray(new String[0]));
            }

            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
                Member method = find(name, descriptor);
                if (mv == null || method == null || method.maxLocals < 0) {
                    return mv; // abstract or native: nothing to weave
                }
                for (RewriteRule r : rewrites) {
                    if (r.matcher.test(method)) {
                        mv = r.rewriter.wrap(mv, type, method);
                    }
                }
                List<MethodAdvice> matching = new ArrayList<>();
                for (AdviceRule r : advice) {
                    if (r.matcher.test(method)) {
                        matching.add(r.advice);
                    }
                }
                return matching.isEmpty() ? mv : new AdviceWeaver(mv, type, method, matching);
            }

            @Override
            public void visitEnd() {
                for (Consumer<ClassVisitor> w : addedMembers) {
                    w.accept(getDelegate());
                }
                super.visitEnd();
            }
        };
    }

    private Member find(String name, String descriptor) {
        for (Member m : type.methods()) {
            if (m.name.equals(name) && m.descriptor.equals(descriptor)) {
                return m;
            }
        }
        return null;
    }
}
