package dev.yawlmetrics.agent.instrumentation;

import dev.yawlmetrics.agent.instrumentation.MethodAdvice.Hook;
import net.bytebuddy.jar.asm.ClassReader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

import static dev.yawlmetrics.agent.instrumentation.MethodAdvice.Arg.argument;
import static dev.yawlmetrics.agent.instrumentation.MethodAdvice.Arg.enterValue;
import static dev.yawlmetrics.agent.instrumentation.MethodAdvice.Arg.outcome;
import static dev.yawlmetrics.agent.instrumentation.MethodAdvice.Arg.returned;
import static dev.yawlmetrics.agent.instrumentation.MethodAdvice.Arg.self;
import static dev.yawlmetrics.agent.instrumentation.MethodAdvice.Arg.thrown;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The weaver on a class with the shapes that break naive weaving: the method's own try/catch,
 * two-slot locals, loops (stack map frames after the kept enter value), static methods,
 * constructors, exceptions leaving the method. The woven class is defined in a fresh loader, so
 * the JVM's verifier checks every frame; results and exceptions must be exactly the original ones.
 */
public class AdviceWeaverTest {
    /** What the hooks saw, in order. */
    static final List<Object> SEEN = new ArrayList<>();

    public static void exitTimed(long startNanos, Object returned, Throwable thrown) {
        SEEN.add(startNanos > 0 ? "timed" : "no-start");
        SEEN.add(returned);
        SEEN.add(thrown);
    }

    public static void exitInt(int returned, Throwable thrown) {
        SEEN.add(returned);
        SEEN.add(thrown);
    }

    public static void exitLong(long startNanos, long returned, Throwable thrown) {
        SEEN.add(returned);
        SEEN.add(thrown);
    }

    public static void created(Object self) {
        String n = self.getClass().getName();
        SEEN.add("created " + n.substring(n.lastIndexOf('$') + 1));
    }

    public static void constructed(Object self, Throwable thrown) {
        String n = self.getClass().getName();
        SEEN.add(thrown == null ? "constructed " + n.substring(n.lastIndexOf('$') + 1) : thrown);
    }

    public static void substringExited(String returned, Throwable thrown) {
        SEEN.add(returned);
        SEEN.add(thrown);
    }

    public static String token(String in) {
        return "token:" + in;
    }

    public static String replace(String original, Object token) {
        return original.toUpperCase() + "/" + token;
    }

    public static String concat(String receiver, String arg) {
        return receiver.concat(arg);
    }

    public static void end(Object token, Object outcome) {
        SEEN.add(token);
        SEEN.add(outcome);
    }

    /** The class that gets woven; compiled by javac like engine code. */
    public static class Sample {
        public int count;

        public Sample() {
            count = 1;
        }

        /** Delegates: its exit hooks are the delegate's. */
        public Sample(int count) {
            this();
            this.count = count;
        }

        /** Throws after its super call. */
        public Sample(String count) {
            super();
            this.count = Integer.parseInt(count);
        }

        public String tail(String s, int from) {
            return s.substring(from);
        }

        public int withOwnCatch(int x) {
            try {
                if (x < 0) {
                    throw new IllegalStateException("negative");
                }
                return x * 2;
            } catch (IllegalStateException e) {
                return -1;
            }
        }

        public long loops(long a, double b, String s) {
            long sum = a;
            for (int i = 0; i < s.length(); i++) {
                double d = b * i;
                sum += (long) d + s.charAt(i);
            }
            return sum;
        }

        public String throwsOut(String s) {
            if (s.isEmpty()) {
                throw new IllegalArgumentException("empty");
            }
            return s + "!";
        }

        public static String echo(String s, long n) {
            return s + n;
        }
    }

    @BeforeEach
    void clear() {
        SEEN.clear();
    }

    private static Class<?> weave(java.util.function.Consumer<Weaving> plan) throws Exception {
        ClassReader reader = new ClassReader(TestWeaving.bytes(Sample.class));
        Weaving weaving = new Weaving(ClassShape.read(reader), AdviceWeaverTest.class.getClassLoader());
        plan.accept(weaving);
        return TestWeaving.define(Sample.class.getName(), ClassLoadGate.write(reader, weaving));
    }

    private static Object call(Object target, String method, Object... args) throws Throwable {
        for (Method m : target instanceof Class ? ((Class<?>) target).getMethods() : target.getClass().getMethods()) {
            if (m.getName().equals(method)) {
                try {
                    return m.invoke(target instanceof Class ? null : target, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            }
        }
        throw new NoSuchMethodException(method);
    }

    @Test
    void theMethodsOwnHandlerKeepsPriorityAndExitSeesWhatItReturns() throws Throwable {
        Class<?> c = weave(w -> w.advise(Members.named("withOwnCatch"), MethodAdvice.builder()
                .exit(Hook.of(AdviceWeaverTest.class, "exitInt"), returned(), thrown()).onThrowable().build()));
        Object sample = c.getConstructor().newInstance();
        assertEquals(-1, call(sample, "withOwnCatch", -5));
        assertEquals(14, call(sample, "withOwnCatch", 7));
        assertEquals(java.util.Arrays.asList(-1, null, 14, null), SEEN);
    }

    @Test
    void keptEnterValuesSurviveLoopsAndTwoSlotLocals() throws Throwable {
        Class<?> c = weave(w -> w.advise(Members.named("loops"), MethodAdvice.builder().enterNanos()
                .exit(Hook.of(AdviceWeaverTest.class, "exitLong"), enterValue(), returned(), thrown()).onThrowable().build()));
        Object sample = c.getConstructor().newInstance();
        long expected = new Sample().loops(10, 1.5, "abc");
        assertEquals(expected, call(sample, "loops", 10L, 1.5, "abc"));
        assertEquals(java.util.Arrays.asList(expected, null), SEEN);
    }

    @Test
    void anExceptionLeavesUnchangedAfterTheExitHookSawIt() throws Throwable {
        Class<?> c = weave(w -> w.advise(Members.named("throwsOut"),
                MethodAdvice.timed(Hook.of(AdviceWeaverTest.class, "exitTimed"), enterValue(), returned(), thrown())));
        Object sample = c.getConstructor().newInstance();
        assertEquals("x!", call(sample, "throwsOut", "x"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> call(sample, "throwsOut", ""));
        assertEquals("empty", e.getMessage());
        assertEquals(6, SEEN.size());
        assertEquals(List.of("timed", "x!"), SEEN.subList(0, 2));
        assertNull(SEEN.get(2));
        assertEquals("timed", SEEN.get(3));
        assertNull(SEEN.get(4), "no return value when leaving by an exception");
        assertSame(e, SEEN.get(5), "the hook sees the very exception the caller gets");
    }

    @Test
    void constructorsAndStaticMethodsAndReplacedArguments() throws Throwable {
        Class<?> c = weave(w -> w
                .advise(Members.isConstructor(), MethodAdvice.builder().exit(Hook.of(AdviceWeaverTest.class, "created"), self()).build())
                .advise(Members.named("echo"), MethodAdvice.builder()
                        .enterValue(Hook.of(AdviceWeaverTest.class, "token"), argument(0))
                        .enterReplacingArgument(0, Hook.of(AdviceWeaverTest.class, "replace"), argument(0), enterValue())
                        .exit(Hook.of(AdviceWeaverTest.class, "end"), enterValue(), outcome()).onThrowable().build()));
        Object sample = c.getConstructor().newInstance();
        assertEquals(1, c.getField("count").get(sample), "constructor body ran");
        assertEquals("HI/token:hi7", call(c, "echo", "hi", 7L));
        assertEquals(List.of("created Sample", "token:hi", "HI/token:hi7"), SEEN);
    }

    @Test
    void aConstructorsExitHooksRunAfterItsSuperCallAndItsExceptionLeavesUnchanged() throws Throwable {
        Class<?> c = weave(w -> w.advise(Members.isConstructor(),
                MethodAdvice.builder().exit(Hook.of(AdviceWeaverTest.class, "constructed"), self(), thrown()).onThrowable().build()));
        c.getConstructor().newInstance();
        assertEquals(List.of("constructed Sample"), SEEN);
        Object delegating = c.getConstructor(int.class).newInstance(5);
        assertEquals(5, c.getField("count").get(delegating));
        assertEquals(List.of("constructed Sample", "constructed Sample"), SEEN, "a delegating constructor counts once, through its delegate");
        InvocationTargetException e = assertThrows(InvocationTargetException.class, () -> c.getConstructor(String.class).newInstance("x"));
        assertTrue(e.getCause() instanceof NumberFormatException, e.getCause().toString());
        assertEquals(3, SEEN.size());
        assertSame(e.getCause(), SEEN.get(2), "the hook sees the very exception the caller gets");
    }

    @Test
    void aWrappedCallSeesTheAnswerOrTheExceptionWhichLeavesUnchanged() throws Throwable {
        ClassShape string = ClassShape.find(null, "java.lang.String");
        Class<?> c = weave(w -> w.wrapCalls(Members.named("tail"), string, "substring", "(I)Ljava/lang/String;", "wrapped$substring",
                MethodAdvice.builder().exit(Hook.of(AdviceWeaverTest.class, "substringExited"), returned(), thrown()).onThrowable().build()));
        Method wrapper = c.getDeclaredMethod("wrapped$substring", String.class, int.class);
        assertTrue(wrapper.isSynthetic() && java.lang.reflect.Modifier.isStatic(wrapper.getModifiers())
                && java.lang.reflect.Modifier.isPrivate(wrapper.getModifiers()), wrapper.toString());
        Object sample = c.getConstructor().newInstance();
        assertEquals("llo", call(sample, "tail", "hello", 2));
        StringIndexOutOfBoundsException e = assertThrows(StringIndexOutOfBoundsException.class, () -> call(sample, "tail", "hi", 5));
        assertEquals(4, SEEN.size());
        assertEquals(java.util.Arrays.asList("llo", null, null), SEEN.subList(0, 3));
        assertSame(e, SEEN.get(3), "the hook sees the very exception the caller gets");
    }

    @Test
    void everyAgentClassTheWovenCodeCallsMustBeVisibleFromTheEnginesLoader() throws Exception {
        byte[] bytes;
        try (InputStream in = Sample.class.getResourceAsStream("/" + Sample.class.getName().replace('.', '/') + ".class")) {
            bytes = in.readAllBytes();
        }
        ClassShape shape = ClassShape.read(bytes);
        ClassLoader isolated = new ClassLoader(null) {};
        String self = shape.internalName();

        // A call redirected to a method generated in the class itself needs nothing.
        Weaving own = new Weaving(shape, isolated).rewrite(Members.named("throwsOut"),
                CallSiteRewriter.redirect("java.lang.String", "isEmpty", "()Z", self, "generated"));
        assertNull(own.unreachableHook());

        // A call replaced by one to the agent does, exactly like an advice hook.
        Hook hook = Hook.of(AdviceWeaverTest.class, "concat");
        java.util.function.Function<ClassLoader, Weaving> rewriting = loader -> new Weaving(shape, loader)
                .rewrite(Members.named("throwsOut"), CallSiteRewriter.substitute(java.util.Set.of("java/lang/String"),
                        "concat", "(Ljava/lang/String;)Ljava/lang/String;", hook));
        assertEquals(AdviceWeaverTest.class.getName(), rewriting.apply(isolated).unreachableHook());
        assertNull(rewriting.apply(AdviceWeaverTest.class.getClassLoader()).unreachableHook());

        Weaving advised = new Weaving(shape, isolated).advise(Members.isConstructor(),
                MethodAdvice.builder().exit(Hook.of(AdviceWeaverTest.class, "created"), self()).build());
        assertEquals(AdviceWeaverTest.class.getName(), advised.unreachableHook());
    }
}
