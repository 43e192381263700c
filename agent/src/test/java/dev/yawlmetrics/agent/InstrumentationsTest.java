package dev.yawlmetrics.agent;

import dev.yawlmetrics.agent.instrumentation.InstrumentationModule;
import dev.yawlmetrics.agent.instrumentation.TypeInstrumentation;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

class InstrumentationsTest {

    /**
     * premain registers the gate from targetClassNames() alone (no Byte Buddy on the engine's
     * thread); the rewriting comes from typeInstrumentations(). They must name the same classes,
     * or a target would load uninstrumented.
     */
    @Test
    void everyModuleDeclaresExactlyTheTargetsItRewrites() {
        for (InstrumentationModule m : Instrumentations.all()) {
            Set<String> declared = new TreeSet<>(m.targetClassNames());
            Set<String> rewritten = new TreeSet<>();
            for (TypeInstrumentation t : m.typeInstrumentations()) {
                rewritten.add(t.targetClassName());
            }
            assertEquals(rewritten, declared, m.name().id());
        }
        assertEquals(7, Instrumentations.all().size());
        assertEquals(List.of(), new JvmModuleTargets().names());
    }

    private static final class JvmModuleTargets {
        List<String> names() {
            for (InstrumentationModule m : Instrumentations.all()) {
                if (m.name().id().equals("jvm")) {
                    return m.targetClassNames();
                }
            }
            throw new AssertionError("no jvm module");
        }
    }
}
