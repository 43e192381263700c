package dev.yawlmetrics.agent.instrumentation;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** An instrumentation that adds members is applied at first load and skipped at retransformation. */
class ClassLoadGateRetransformTest {
    static final class Target {
        int value;
    }

    @Test
    void memberAddingInstrumentationIsSkippedForAlreadyLoadedClasses() throws Exception {
        InstrumentationModule module = TestWeaving.module(Target.class, true, weaving -> weaving.addField("added", "J"));
        ClassLoadGate gate = new ClassLoadGate(List.of(module), InstrumentationOutcomes.NONE);
        String internal = Target.class.getName().replace('.', '/');
        byte[] bytes = TestWeaving.bytes(Target.class);
        ClassLoader loader = Target.class.getClassLoader();
        assertNotNull(gate.transform(loader, internal, null, null, bytes), "first load: rewritten");
        assertNull(gate.transform(loader, internal, Target.class, null, bytes), "retransformation: left alone");
    }
}
