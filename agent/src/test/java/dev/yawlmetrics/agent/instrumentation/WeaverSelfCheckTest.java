package dev.yawlmetrics.agent.instrumentation;

import dev.yawlmetrics.agent.config.InstrumentationName;
import dev.yawlmetrics.agent.instrumentation.ClassShape.Member;
import dev.yawlmetrics.agent.instrumentation.MethodAdvice.Hook;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static dev.yawlmetrics.agent.instrumentation.MethodAdvice.Arg.returned;
import static dev.yawlmetrics.agent.instrumentation.MethodAdvice.Arg.thrown;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The weaver checks its own work before the JVM sees it: bindings against the hook descriptors,
 * every woven method through the weaver's verifier (WovenClassVerifier), and every rule's site count. Each failure leaves the
 * class exactly as compiled (the transformer returns null) and is reported as an outcome.
 */
class WeaverSelfCheckTest {
    /** The class the gate rewrites. */
    public static class Target {
        public String greet(String name) {
            return "hello " + name;
        }

        public int twice(int x) {
            return 2 * x;
        }
    }

    public static void sawInt(int returned, Throwable thrown) {}

    public static void sawString(Object returned, Throwable thrown) {}

    /** Outcomes as the gate reports them, in order: "applied heartbeat", "skipped etcd", ... */
    final List<String> outcomes = new ArrayList<>();
    final InstrumentationOutcomes recorder = new InstrumentationOutcomes() {
        public void applied(InstrumentationName n) { outcomes.add("applied " + n.id()); }
        public void skipped(InstrumentationName n) { outcomes.add("skipped " + n.id()); }
        public void transformationError(InstrumentationName n) { outcomes.add("error " + n.id()); }
    };

    static InstrumentationModule module(InstrumentationName name, Consumer<Weaving> rules) {
        TypeInstrumentation type = new TypeInstrumentation() {
            public String targetClassName() { return Target.class.getName(); }
            public String checkShape(ClassShape t) { return null; }
            public void transform(Weaving w) { rules.accept(w); }
        };
        return new InstrumentationModule() {
            public InstrumentationName name() { return name; }
            public List<TypeInstrumentation> typeInstrumentations() { return List.of(type); }
        };
    }

    static byte[] original() throws Exception {
        try (InputStream in = Target.class.getResourceAsStream("/" + Target.class.getName().replace('.', '/') + ".class")) {
            return in.readAllBytes();
        }
    }

    byte[] transform(ClassLoadGate gate) throws Exception {
        return gate.transform(Target.class.getClassLoader(), Target.class.getName().replace('.', '/'), null, null, original());
    }

    static final Consumer<Weaving> GOOD = w -> w.advise(Members.named("greet"),
            MethodAdvice.builder().exit(Hook.of(WeaverSelfCheckTest.class, "sawString"), returned(), thrown()).onThrowable().build());

    @Test
    void aBindingThatDoesNotMatchTheHookIsRefusedAtTransformTime() throws Exception {
        // twice() returns int; a hook taking (Object, Throwable) cannot take it.
        Consumer<Weaving> wrong = w -> w.advise(Members.named("twice"),
                MethodAdvice.builder().exit(Hook.of(WeaverSelfCheckTest.class, "sawString"), returned(), thrown()).build());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> {
            ClassShape shape = ClassShape.read(original());
            Weaving w = new Weaving(shape, Target.class.getClassLoader());
            wrong.accept(w);
            ClassLoadGate.write(new net.bytebuddy.jar.asm.ClassReader(original()), w);
        });
        assertTrue(e.getMessage().contains("parameter 0 is java.lang.Object, the woven code passes int"), e.getMessage());

        assertTrue(transform(new ClassLoadGate(List.of(module(InstrumentationName.JVM, wrong)), recorder)) == null, "unchanged");
        assertEquals(List.of("error jvm"), outcomes);

        // The right hook for an int passes.
        outcomes.clear();
        Consumer<Weaving> right = w -> w.advise(Members.named("twice"),
                MethodAdvice.builder().exit(Hook.of(WeaverSelfCheckTest.class, "sawInt"), returned(), thrown()).build());
        assertNotNull(transform(new ClassLoadGate(List.of(module(InstrumentationName.JVM, right)), recorder)));
        assertEquals(List.of("applied jvm"), outcomes);
    }

    @Test
    void aWovenMethodThatDoesNotVerifyLeavesTheClassUnchangedAndIsDumped(@TempDir Path dump) throws Exception {
        // A rewriter that pops from the empty stack at entry (an extra value left before a return
        // would verify: neither the JVM nor the check minds the stack's height at a return).
        Weaving.MethodRewriter broken = new Weaving.MethodRewriter() {
            public MethodVisitor wrap(MethodVisitor next, ClassShape type, Member method) {
                return new MethodVisitor(Opcodes.ASM9, next) {
                    @Override
                    public void visitCode() {
                        super.visitCode();
                        super.visitInsn(Opcodes.POP);
                    }
                };
            }
        };
        ClassLoadGate gate = new ClassLoadGate(List.of(
                module(InstrumentationName.ETCD, w -> w.rewrite(Members.named("twice"), broken)),
                module(InstrumentationName.HEARTBEAT, GOOD)), recorder, dump);
        assertTrue(transform(gate) == null, "the class loads as compiled");
        assertEquals(List.of("error etcd", "error heartbeat"), outcomes);
        String name = Target.class.getName();
        assertArrayEquals(original(), Files.readAllBytes(dump.resolve(name + ".original.class")));
        assertTrue(Files.size(dump.resolve(name + ".woven.class")) > 0);
    }

    @Test
    void aRuleThatFindsFewerSitesThanItExpectsIsNotAppliedTheOthersStillAre() throws Exception {
        ClassLoadGate gate = new ClassLoadGate(List.of(
                module(InstrumentationName.ETCD, w -> w.advise(Members.named("renamedInThisRelease"),
                        MethodAdvice.builder().exit(Hook.of(WeaverSelfCheckTest.class, "sawInt"), returned(), thrown()).build())),
                module(InstrumentationName.HEARTBEAT, GOOD),
                module(InstrumentationName.MARKETPLACE, w -> GOOD.accept(w.advise(Members.named("twice"),
                        MethodAdvice.builder().exit(Hook.of(WeaverSelfCheckTest.class, "sawInt"), returned(), thrown()).build())
                        .expect(2)))), recorder);
        byte[] woven = transform(gate);
        assertNotNull(woven, "heartbeat's rule found its method");
        assertEquals(List.of("skipped etcd", "skipped marketplace", "applied heartbeat"), outcomes);
        ClassShape shape = ClassShape.read(woven);
        assertEquals(2, shape.methods(Members.named("greet").or(Members.named("twice"))).size());
        // Only heartbeat's hook is in the woven class.
        String text = new String(woven, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(text.contains("sawString") && !text.contains("sawInt"), "only the applied rule's hook is called");
    }

    @Test
    void aCallSiteRuleWithoutItsCallIsNotApplied() throws Exception {
        ClassLoadGate gate = new ClassLoadGate(List.of(module(InstrumentationName.HTTPCLIENT, w -> w.rewrite(Members.named("greet"),
                CallSiteRewriter.substitute(java.util.Set.of("java/lang/String"), "concat", "(Ljava/lang/String;)Ljava/lang/String;",
                        Hook.of(AdviceWeaverTest.class, "concat"))))), recorder);
        // greet() concatenates with invokedynamic / StringBuilder, never String.concat.
        assertTrue(transform(gate) == null, "unchanged");
        assertEquals(List.of("skipped httpclient"), outcomes);
    }

    @Test
    void aSubstituteHookThatCannotTakeTheOperandsIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CallSiteRewriter.substitute(
                java.util.Set.of("java/lang/String"), "concat", "(Ljava/lang/String;)Ljava/lang/String;",
                Hook.of(AdviceWeaverTest.class, "token")));
        assertTrue(e.getMessage().startsWith("binding:"), e.getMessage());
    }
}
