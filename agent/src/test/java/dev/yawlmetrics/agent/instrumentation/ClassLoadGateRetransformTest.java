package dev.yawlmetrics.agent.instrumentation;

import dev.yawlmetrics.agent.config.InstrumentationName;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
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
        InstrumentationModule module = new InstrumentationModule() {
            @Override
            public InstrumentationName name() {
                return InstrumentationName.LIFECYCLE;
            }

            @Override
            public List<TypeInstrumentation> typeInstrumentations() {
                return List.of(new TypeInstrumentation() {
                    @Override
                    public String targetClassName() {
                        return Target.class.getName();
                    }

                    @Override
                    public boolean addsMembers() {
                        return true;
                    }

                    @Override
                    public String checkShape(ClassShape type) {
                        return null;
                    }

                    @Override
                    public void transform(Weaving weaving) {
                        weaving.addMembers(cv -> cv.visitField(net.bytebuddy.jar.asm.Opcodes.ACC_PRIVATE, "added", "J", null, null).visitEnd());
                    }
                });
            }
        };
        ClassLoadGate gate = new ClassLoadGate(List.of(module), InstrumentationOutcomes.NONE);
        String internal = Target.class.getName().replace('.', '/');
        byte[] bytes;
        try (InputStream in = Target.class.getResourceAsStream("/" + internal + ".class")) {
            bytes = in.readAllBytes();
        }
        ClassLoader loader = Target.class.getClassLoader();
        assertNotNull(gate.transform(loader, internal, null, null, bytes), "first load: rewritten");
        assertNull(gate.transform(loader, internal, Target.class, null, bytes), "retransformation: left alone");
    }
}
