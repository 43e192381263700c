package dev.yawlmetrics.agent.instrumentation;

import dev.yawlmetrics.agent.config.InstrumentationName;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A target that is not ready yet is loaded unchanged and left for retransformation. */
class ClassLoadGateReadyTest {
    static final class Target {
        int answer() { return 42; }
    }

    private static volatile boolean ready;

    public static void answered() {
        // the hook the test's advice calls
    }

    @Test
    void notReadyLeavesTheClassUnchangedAndUnappliedThenReadyTransforms() throws Exception {
        InstrumentationName name = InstrumentationName.DISCOVERY;
        TypeInstrumentation type = new TypeInstrumentation() {
            public String targetClassName() { return Target.class.getName(); }
            public boolean ready() { return ready; }
            public String checkShape(ClassShape t) { return null; }
            public void transform(Weaving w) {
                w.advise(Members.named("answer"), MethodAdvice.builder().exit(MethodAdvice.Hook.of(ClassLoadGateReadyTest.class, "answered")).build());
            }
        };
        InstrumentationModule module = new InstrumentationModule() {
            public InstrumentationName name() { return name; }
            public List<TypeInstrumentation> typeInstrumentations() { return List.of(type); }
        };
        java.util.Set<InstrumentationName> applied = new java.util.HashSet<>();
        java.util.Set<InstrumentationName> skipped = new java.util.HashSet<>();
        ClassLoadGate gate = new ClassLoadGate(List.of(module), new InstrumentationOutcomes() {
            public void applied(InstrumentationName n) { applied.add(n); }
            public void skipped(InstrumentationName n) { skipped.add(n); }
            public void transformationError(InstrumentationName n) { throw new AssertionError(n); }
        });
        String internal = Target.class.getName().replace('.', '/');
        byte[] bytes;
        try (InputStream in = Target.class.getClassLoader().getResourceAsStream(internal + ".class")) {
            bytes = in.readAllBytes();
        }
        ClassLoader loader = Target.class.getClassLoader();

        ready = false;
        assertNull(gate.transform(loader, internal, null, null, bytes));
        assertFalse(applied.contains(name));
        assertFalse(skipped.contains(name), "not ready is not skipped");

        ready = true;
        assertNotNull(gate.transform(loader, internal, Target.class, null, bytes));
        assertTrue(applied.contains(name));
    }
}
