package dev.yawlmetrics.agent.instrumentation;

import dev.yawlmetrics.agent.instrumentation.ClassShape.Member;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
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
         * Like {@link #wrap(MethodVisitor, ClassShape, Member)}, reporting each site it rewrites
         * to {@code sites}; the default counts the matched method as one site.
         */
        default MethodVisitor wrap(MethodVisitor next, ClassShape type, Member method, Runnable sites) {
            sites.run();
            return wrap(next, type, method);
        }

        /** What the rule does, for the log line when it finds fewer sites than expected. */
        default String describe() {
            return getClass().getSimpleName();
        }

        /**
         * Internal names of the agent classes the rewritten code calls (checked for visibility
         * from the engine's loader, like advice hooks); a class's own generated methods need none.
         */
        default List<String> calledClasses() {
            return List.of();
        }
    }

    /**
     * One advice or rewrite rule, with the sites it expects (at least one) and the sites it
     * found while writing. Fewer than expected means its instrumentation is not applied.
     */
    private abstract static class Rule {
        final Predicate<Member> matcher;
        final Object contributor;
        int expected = 1;
        int found;
        String site;

        Rule(Predicate<Member> matcher, Object contributor) {
            this.matcher = matcher;
            this.contributor = contributor;
        }

        abstract String describe();
    }

    private static final class AdviceRule extends Rule {
        final MethodAdvice advice;

        AdviceRule(Predicate<Member> matcher, MethodAdvice advice, Object contributor) {
            super(matcher, contributor);
            this.advice = advice;
        }

        @Override
        String describe() {
            return "advice " + advice.describe();
        }
    }

    private static final class RewriteRule extends Rule {
        final MethodRewriter rewriter;

        RewriteRule(Predicate<Member> matcher, MethodRewriter rewriter, Object contributor) {
            super(matcher, contributor);
            this.rewriter = rewriter;
        }

        @Override
        String describe() {
            return "rewrite " + rewriter.describe();
        }
    }

    private final ClassShape type;
    private final ClassLoader loader;
    private final List<AdviceRule> advice = new ArrayList<>();
    private final List<RewriteRule> rewrites = new ArrayList<>();
    private final Set<String> addedInterfaces = new LinkedHashSet<>();
    private final List<Consumer<ClassVisitor>> addedMembers = new ArrayList<>();
    /** name + descriptor of every field ("f:") and method ("m:") added so far. */
    private final Set<String> addedNames = new LinkedHashSet<>();
    /** Per contributor: members it could not add (a clash, or an engine field it reads is missing). */
    private final Map<Object, List<String>> conflicts = new LinkedHashMap<>();
    private final Set<String> hookOwners = new LinkedHashSet<>();
    private Rule last;
    private Object contributor;
    /** name + descriptor of every method this weaving wrote into or added. */
    private final Set<String> touched = new LinkedHashSet<>();

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

    /**
     * Tags the rules added from now on with their contributor (the gate passes each target in
     * turn), so a rule that finds too few sites can be traced to its instrumentation.
     */
    public Weaving contributor(Object tag) {
        this.contributor = tag;
        return this;
    }

    /**
     * The last rule added expects at least {@code sites} methods (advice) or call sites
     * (rewrite); every rule expects one unless told otherwise. Fewer found while writing means
     * that rule's instrumentation is not applied.
     */
    public Weaving expect(int sites) {
        if (last == null || sites < 1) {
            throw new IllegalStateException("expect(" + sites + ") needs a rule before it and at least one site");
        }
        last.expected = sites;
        return this;
    }

    /**
     * Names the last rule's site as a reader of the engine's source would ("publishToEtcd(String,String)"),
     * for the log line when it is not found: the rule is the shape check, no parallel list needed.
     */
    public Weaving site(String description) {
        if (last == null) {
            throw new IllegalStateException("site(" + description + ") needs a rule before it");
        }
        last.site = description;
        return this;
    }

    public Weaving advise(Predicate<Member> methods, MethodAdvice methodAdvice) {
        AdviceRule rule = new AdviceRule(methods, methodAdvice, contributor);
        advice.add(rule);
        last = rule;
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
        RewriteRule rule = new RewriteRule(methods, rewriter, contributor);
        rewrites.add(rule);
        last = rule;
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

    /**
     * Adds a private synthetic instance field with a public getter {@code name()} and setter
     * {@code name(value)} (how an added interface reaches it). When the class already declares a
     * field of that name, or a method of either accessor's name and descriptor, nothing is added
     * and the contributor's instrumentation is not applied (a duplicate member would make the JVM
     * reject the class).
     */
    public Weaving addField(String name, String descriptor) {
        String owner = type.internalName();
        String getter = "()" + descriptor;
        String setter = "(" + descriptor + ")V";
        if (clashesWithField(name) || clashesWithMethod(name, getter) || clashesWithMethod(name, setter)) {
            return this;
        }
        addedMembers.add(cv -> AddedMembers.field(cv, name, descriptor));
        addedMembers.add(cv -> AddedMembers.getter(cv, owner, name, name, descriptor));
        addedMembers.add(cv -> AddedMembers.setter(cv, owner, name, name, descriptor));
        return this;
    }

    /**
     * Adds a public getter {@code method()} of the class's own instance field {@code field}, read
     * with exactly the engine's field type. A missing, static or differently typed field (or a
     * method of that name and descriptor already there) leaves the contributor not applied.
     */
    public Weaving addGetter(String method, String field, String descriptor) {
        if (!requiresField(field, descriptor) || clashesWithMethod(method, "()" + descriptor)) {
            return this;
        }
        String owner = type.internalName();
        addedMembers.add(cv -> AddedMembers.getter(cv, owner, method, field, descriptor));
        return this;
    }

    /**
     * Declares that the contributor's hooks read the class's instance field {@code field} of
     * exactly this type (through a getter or a method handle); without it the contributor is not
     * applied. The rule is the shape check: no parallel list of fields.
     */
    public Weaving readsField(String field, String descriptor) {
        requiresField(field, descriptor);
        return this;
    }

    /**
     * Routes every call of {@code callee.name(descriptor)} inside the methods {@code in} matches
     * through a private static synthetic method {@code wrapper(receiver, args...)} generated in
     * the class, which makes the same call and runs {@code advice} around it (for example an
     * exit hook that sees {@code returned()} and {@code thrown()} and the exception rethrown
     * unchanged). Adds one call-site rule (expecting one site unless {@link #expect} says more).
     */
    public Weaving wrapCalls(Predicate<Member> in, ClassShape callee, String name, String descriptor, String wrapper,
                             MethodAdvice advice) {
        String wrapperDescriptor = CallSiteRewriter.staticDescriptor(callee.internalName(), descriptor, "");
        if (!clashesWithMethod(wrapper, wrapperDescriptor)) {
            ClassShape self = type;
            String calleeName = callee.internalName();
            boolean itf = callee.isInterface();
            addedMembers.add(cv -> AddedMembers.callWrapper(cv, self, calleeName, itf, name, descriptor, wrapper, wrapperDescriptor, advice));
            for (MethodAdvice.Call c : advice.enter) {
                hookOwners.add(c.hook.owner);
            }
            for (MethodAdvice.Call c : advice.exit) {
                hookOwners.add(c.hook.owner);
            }
        }
        return rewrite(in, CallSiteRewriter.redirect(callee.internalName(), name, descriptor, type.internalName(), wrapper));
    }

    private boolean requiresField(String field, String descriptor) {
        Member f = type.field(field);
        if (f == null || f.isStatic() || !f.descriptor.equals(descriptor)) {
            conflict("instance field " + net.bytebuddy.jar.asm.Type.getType(descriptor).getClassName() + " " + field + " not found");
            return false;
        }
        return true;
    }

    private boolean clashesWithField(String name) {
        if (type.field(name) != null || !addedNames.add("f:" + name)) {
            conflict("cannot add field " + name + ": the class already has a field of that name");
            return true;
        }
        return false;
    }

    private boolean clashesWithMethod(String name, String descriptor) {
        if (find(name, descriptor) != null || !addedNames.add("m:" + name + descriptor)) {
            conflict("cannot add method " + name + descriptor + ": the class already has it");
            return true;
        }
        return false;
    }

    private void conflict(String why) {
        conflicts.computeIfAbsent(contributor, k -> new ArrayList<>()).add(why);
    }

    /**
     * After {@link #applyTo} has been written: per contributor, the rules that found fewer sites
     * than they expect, one sentence each. Empty when every rule found its sites.
     */
    public Map<Object, List<String>> shortfalls() {
        Map<Object, List<String>> out = new LinkedHashMap<>();
        for (Map.Entry<Object, List<String>> e : conflicts.entrySet()) {
            out.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).addAll(e.getValue());
        }
        List<Rule> all = new ArrayList<>(advice);
        all.addAll(rewrites);
        for (Rule r : all) {
            if (r.found < r.expected) {
                out.computeIfAbsent(r.contributor, k -> new ArrayList<>()).add((r.site == null ? "" : r.site + ": ")
                        + r.describe() + " found " + r.found + " of at least " + r.expected + " site(s)");
            }
        }
        return out;
    }

    /** name + descriptor of each method written into or added, after {@link #applyTo} has been written. */
    public Set<String> touchedMethods() {
        return touched;
    }

    public boolean isEmpty() {
        return advice.isEmpty() && rewrites.isEmpty() && addedInterfaces.isEmpty() && addedMembers.isEmpty() && conflicts.isEmpty();
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
                        // A call-site rewriter counts its sites while the method streams through it.
                        mv = r.rewriter.wrap(mv, type, method, () -> r.found++);
                        touched.add(name + descriptor);
                    }
                }
                List<MethodAdvice> matching = new ArrayList<>();
                for (AdviceRule r : advice) {
                    if (r.matcher.test(method)) {
                        matching.add(r.advice);
                        r.found++;
                    }
                }
                if (!matching.isEmpty()) {
                    touched.add(name + descriptor);
                }
                return matching.isEmpty() ? mv : new AdviceWeaver(mv, type, method, matching);
            }

            @Override
            public void visitEnd() {
                ClassVisitor recording = new ClassVisitor(Opcodes.ASM9, getDelegate()) {
                    @Override
                    public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                        touched.add(name + descriptor);
                        return super.visitMethod(access, name, descriptor, signature, exceptions);
                    }
                };
                for (Consumer<ClassVisitor> w : addedMembers) {
                    w.accept(recording);
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
