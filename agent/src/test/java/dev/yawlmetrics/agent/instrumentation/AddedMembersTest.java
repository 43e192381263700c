package dev.yawlmetrics.agent.instrumentation;

import dev.yawlmetrics.agent.config.InstrumentationName;
import dev.yawlmetrics.agent.core.MetricsAgentLog;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The weaver's added fields and accessors, through the class-load gate as the engine's classes
 * go: the woven class loads and its added members work; a name that clashes with the class's
 * own members, or an engine field that is not there, leaves that instrumentation not applied and
 * the class exactly as compiled, with the reason in one log line (not a VerifyError or a
 * NoSuchFieldError at run time).
 */
class AddedMembersTest {
    /** The class that gets woven. */
    public static final class Holder {
        public long existing = 7;
        private int value = 42;

        public int value() {
            return value;
        }
    }

    final List<String> outcomes = new ArrayList<>();
    final InstrumentationOutcomes recorder = new InstrumentationOutcomes() {
        public void applied(InstrumentationName n) { outcomes.add("applied"); }
        public void skipped(InstrumentationName n) { outcomes.add("skipped"); }
        public void transformationError(InstrumentationName n) { outcomes.add("error"); }
    };
    final ByteArrayOutputStream log = new ByteArrayOutputStream();

    private static byte[] original() throws Exception {
        return TestWeaving.bytes(Holder.class);
    }

    /** The gate's answer for Holder, at first load, with one instrumentation that does {@code plan}. */
    private byte[] weave(Consumer<Weaving> plan) throws Exception {
        ClassLoadGate gate = new ClassLoadGate(List.of(TestWeaving.module(Holder.class, true, plan)), recorder);
        PrintStream before = MetricsAgentLog.redirect(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            return gate.transform(Holder.class.getClassLoader(), Holder.class.getName().replace('.', '/'), null, null, original());
        } finally {
            MetricsAgentLog.redirect(before);
        }
    }

    /** The gate's null: the JVM loads the class as compiled. */
    private void assertUnchanged(byte[] woven) {
        assertTrue(woven == null, "the class was rewritten; outcomes " + outcomes + ", log: " + log);
    }

    private static Class<?> define(byte[] bytes) throws Exception {
        return TestWeaving.define(Holder.class.getName(), bytes);
    }

    @Test
    void anAddedFieldAndItsAccessorsAndAGetterOfTheClasssOwnFieldWork() throws Exception {
        byte[] woven = weave(w -> w.addField("added$nanos", "J").addGetter("added$value", "value", "I"));
        assertNotNull(woven, log.toString());
        assertEquals(List.of("applied"), outcomes);
        Class<?> c = define(woven);
        Field f = c.getDeclaredField("added$nanos");
        assertTrue(f.isSynthetic() && Modifier.isPrivate(f.getModifiers()) && f.getType() == long.class, f.toString());
        Object holder = c.getConstructor().newInstance();
        Method get = c.getMethod("added$nanos");
        Method set = c.getMethod("added$nanos", long.class);
        assertEquals(0L, get.invoke(holder));
        set.invoke(holder, 123_456_789_012L);
        assertEquals(123_456_789_012L, get.invoke(holder));
        assertEquals(42, c.getMethod("added$value").invoke(holder), "reads the class's own private field");
        assertEquals(42, c.getMethod("value").invoke(holder), "the class's own code is unchanged");
    }

    @Test
    void aFieldNameTheClassAlreadyHasLeavesTheClassUnchanged() throws Exception {
        byte[] woven = weave(w -> w.addField("existing", "J"));
        assertUnchanged(woven);
        assertEquals(List.of("skipped"), outcomes);
        assertTrue(log.toString().contains("cannot add field existing: the class already has a field of that name"), log.toString());
        Class<?> c = define(original());
        assertEquals(7L, c.getField("existing").get(c.getConstructor().newInstance()));
    }

    @Test
    void anAccessorTheClassAlreadyHasLeavesTheClassUnchanged() throws Exception {
        byte[] woven = weave(w -> w.addField("value", "I"));
        assertUnchanged(woven);
        assertEquals(List.of("skipped"), outcomes);
        assertTrue(log.toString().contains("cannot add field value"), log.toString());
        // A getter clashing with the class's own value() method:
        outcomes.clear();
        log.reset();
        assertUnchanged(weave(w -> w.addGetter("value", "value", "I")));
        assertEquals(List.of("skipped"), outcomes);
        assertTrue(log.toString().contains("cannot add method value()I: the class already has it"), log.toString());
    }

    @Test
    void aGetterOfAFieldThatIsNotThereOrHasAnotherTypeLeavesTheClassUnchanged() throws Exception {
        assertUnchanged(weave(w -> w.addGetter("added$missing", "missing", "I")));
        assertTrue(log.toString().contains("instance field int missing not found"), log.toString());
        assertUnchanged(weave(w -> w.addGetter("added$value", "value", "J")));
        assertUnchanged(weave(w -> w.readsField("existing", "I")));
        assertEquals(List.of("skipped", "skipped", "skipped"), outcomes);
        assertTrue(log.toString().contains("instance field long value not found"), log.toString());
    }

    @Test
    void theSameNameTwiceIsAClashToo() throws Exception {
        assertUnchanged(weave(w -> w.addField("added$x", "J").addField("added$x", "I")));
        assertEquals(List.of("skipped"), outcomes);
        assertTrue(Arrays.asList(log.toString().split("\n")).stream().anyMatch(l -> l.contains("cannot add field added$x")), log.toString());
    }
}
