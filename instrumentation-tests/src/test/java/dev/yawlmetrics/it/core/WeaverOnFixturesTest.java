package dev.yawlmetrics.it.core;

import dev.yawlmetrics.agent.Instrumentations;
import dev.yawlmetrics.agent.config.InstrumentationName;
import dev.yawlmetrics.agent.instrumentation.ClassLoadGate;
import dev.yawlmetrics.agent.instrumentation.InstrumentationModule;
import dev.yawlmetrics.agent.instrumentation.InstrumentationOutcomes;
import dev.yawlmetrics.testsupport.AgentJvm;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.commons.ClassRemapper;
import org.objectweb.asm.commons.SimpleRemapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The weaver, in-process, on the engine-shaped fixtures: every shipped instrumentation weaves its
 * targets, the result passes the weaver's own verification and the JVM's (the class is defined
 * and initialised in a fresh loader). Then the drift matrix: each kind of mismatch between a rule
 * and the engine class (renamed method, changed return type, changed parameter, missing call
 * site, renamed field), one at a time, leaves that instrumentation not applied and the engine
 * class loading as compiled.
 */
class WeaverOnFixturesTest {
    static final String MARKETPLACE = "org/yawlfoundation/yawl/integration/autonomous/marketplace/AgentMarketplace";
    static final String REGISTRY = "org/yawlfoundation/yawl/integration/autonomous/registry/EtcdAgentRegistryClient";
    static final String PARTY_AGENT = "org/yawlfoundation/yawl/integration/autonomous/GenericPartyAgent";

    /** Outcomes as "applied etcd", "skipped heartbeat", "error lifecycle". */
    final List<String> outcomes = new ArrayList<>();
    final InstrumentationOutcomes recorder = new InstrumentationOutcomes() {
        public void applied(InstrumentationName n) { outcomes.add("applied " + n.id()); }
        public void skipped(InstrumentationName n) { outcomes.add("skipped " + n.id()); }
        public void transformationError(InstrumentationName n) { outcomes.add("error " + n.id()); }
    };

    static byte[] fixture(Path classes, String internalName) throws Exception {
        return Files.readAllBytes(classes.resolve(internalName + ".class"));
    }

    static Path legacyClasses() {
        return Path.of(System.getProperty("fixtures.legacy.classes", "../engine-fixtures/target/legacy-classes")).toAbsolutePath();
    }

    /** Defines {@code bytes} as {@code internalName} in a fresh loader (the rest from the test's) and initialises it. */
    static Class<?> defineAndInitialise(String internalName, byte[] bytes) throws Exception {
        String name = internalName.replace('/', '.');
        ClassLoader loader = new ClassLoader(WeaverOnFixturesTest.class.getClassLoader()) {
            @Override
            protected Class<?> loadClass(String n, boolean resolve) throws ClassNotFoundException {
                if (n.equals(name)) {
                    synchronized (getClassLoadingLock(n)) {
                        Class<?> c = findLoadedClass(n);
                        return c != null ? c : defineClass(n, bytes, 0, bytes.length);
                    }
                }
                return super.loadClass(n, resolve);
            }
        };
        return Class.forName(name, true, loader);
    }

    byte[] weave(String internalName, byte[] bytes) {
        ClassLoadGate gate = new ClassLoadGate(Instrumentations.all(), recorder);
        return gate.transform(WeaverOnFixturesTest.class.getClassLoader(), internalName, null, null, bytes);
    }

    @Test
    void everyShippedInstrumentationWeavesItsFixturesAndTheResultVerifies() throws Exception {
        Set<String> targets = new LinkedHashSet<>();
        Set<InstrumentationName> withTargets = new LinkedHashSet<>();
        for (InstrumentationModule m : Instrumentations.all()) {
            for (String t : m.targetClassNames()) {
                if (!t.startsWith("jdk.")) { // the JDK's HttpClientImpl needs the bridge (an Instrumentation): HttpClientRequestsTest
                    targets.add(t.replace('.', '/'));
                    withTargets.add(m.name());
                }
            }
        }
        assertEquals(Set.of(MARKETPLACE, REGISTRY, PARTY_AGENT), targets);
        for (String t : targets) {
            byte[] woven = weave(t, fixture(AgentJvm.fixtureClasses(), t));
            assertNotNull(woven, t + ": " + outcomes);
            assertEquals(t.replace('/', '.'), defineAndInitialise(t, woven).getName());
        }
        Set<String> expected = new LinkedHashSet<>();
        for (InstrumentationName n : withTargets) {
            expected.add("applied " + n.id());
        }
        assertEquals(expected, new LinkedHashSet<>(outcomes));
        assertEquals(expected.size(), outcomes.size(), "one outcome per instrumentation: " + outcomes);

        // The older AgentMarketplace too.
        outcomes.clear();
        byte[] legacy = weave(MARKETPLACE, fixture(legacyClasses(), MARKETPLACE));
        assertNotNull(legacy, outcomes.toString());
        assertEquals(List.of("applied marketplace"), outcomes);
    }

    /** One mismatch between a rule and the engine class. */
    record Drift(String description, String target, UnaryOperator<byte[]> mutation, Set<String> expected) {
        @Override
        public String toString() {
            return description;
        }
    }

    static Stream<Arguments> drifts() {
        return Stream.of(
                new Drift("renamed method: AgentMarketplace.liveCount -> countLive", MARKETPLACE,
                        b -> renameMethod(b, MARKETPLACE, "liveCount", "()J", "countLive"), Set.of("skipped marketplace")),
                new Drift("changed return type: AgentMarketplace.liveCount returns int", MARKETPLACE,
                        b -> replaceWithStub(b, MARKETPLACE, "liveCount", "()J", "()I"), Set.of("skipped marketplace")),
                new Drift("changed parameter: EtcdAgentRegistryClient.deleteFromEtcd takes (String, int)", REGISTRY,
                        b -> replaceWithStub(b, REGISTRY, "deleteFromEtcd", "(Ljava/lang/String;)V", "(Ljava/lang/String;I)V"),
                        Set.of("skipped etcd", "applied heartbeat")),
                new Drift("missing call site: startHeartbeat schedules with fixed delay", REGISTRY,
                        b -> renameCall(b, "scheduleAtFixedRate", "scheduleWithFixedDelay"), Set.of("skipped heartbeat", "applied etcd")),
                new Drift("renamed field: GenericPartyAgent.backoffMs -> backoffMillis", PARTY_AGENT,
                        b -> renameField(b, PARTY_AGENT, "backoffMs", "backoffMillis"), Set.of("skipped lifecycle", "skipped discovery")),
                new Drift("changed field type: GenericPartyAgent.emptyResultsCount is a long", PARTY_AGENT,
                        b -> retypeField(b, PARTY_AGENT, "emptyResultsCount", "I", "J"), Set.of("skipped lifecycle", "skipped discovery")),
                new Drift("name clash: GenericPartyAgent already has a field yawlMetrics$stateSince", PARTY_AGENT,
                        b -> addField(b, "yawlMetrics$stateSince", "J"), Set.of("skipped lifecycle", "skipped discovery")),
                new Drift("changed parameter: AgentMarketplace.unpublish takes a UUID", MARKETPLACE,
                        b -> replaceWithStub(b, MARKETPLACE, "unpublish", "(Ljava/lang/String;)V", "(Ljava/util/UUID;)V"),
                        Set.of("skipped marketplace")),
                new Drift("renamed method: GenericPartyAgent.stop -> halt", PARTY_AGENT,
                        b -> renameMethod(b, PARTY_AGENT, "stop", "()V", "halt"), Set.of("skipped lifecycle", "applied discovery")),
                new Drift("changed return type: GenericPartyAgent.runDiscoveryCycle returns void", PARTY_AGENT,
                        b -> replaceWithStub(b, PARTY_AGENT, "runDiscoveryCycle", "()Z", "()V"),
                        Set.of("skipped discovery", "applied lifecycle")),
                new Drift("missing call site: processWorkItem calls checkInWorkItemLater", PARTY_AGENT,
                        b -> renameCall(b, "checkInWorkItem", "checkInWorkItemLater"), Set.of("skipped discovery", "applied lifecycle")))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("drifts")
    void aDriftedEngineClassLoadsAsCompiledAndTheInstrumentationIsNotApplied(Drift drift) throws Exception {
        byte[] original = fixture(AgentJvm.fixtureClasses(), drift.target());
        byte[] drifted = drift.mutation().apply(original);
        assertTrue(!java.util.Arrays.equals(original, drifted), "the mutation changed nothing");
        defineAndInitialise(drift.target(), drifted); // the drifted engine class itself is valid

        byte[] result = weave(drift.target(), drifted);
        assertEquals(drift.expected(), new LinkedHashSet<>(outcomes), drift.description());
        boolean othersApplied = outcomes.stream().anyMatch(o -> o.startsWith("applied"));
        if (othersApplied) {
            assertNotNull(result);
        } else {
            assertEquals(null, result, "nothing applies: the JVM loads the drifted class exactly as compiled");
        }
        defineAndInitialise(drift.target(), result == null ? drifted : result);
    }

    // --- mutations, each producing a valid class ------------------------------------------------

    static byte[] rewrite(byte[] in, java.util.function.Function<ClassVisitor, ClassVisitor> visitor) {
        ClassReader r = new ClassReader(in);
        ClassWriter w = new ClassWriter(r, 0);
        r.accept(visitor.apply(w), 0);
        return w.toByteArray();
    }

    static byte[] renameMethod(byte[] in, String owner, String name, String desc, String newName) {
        return rewrite(in, w -> new ClassRemapper(w, new SimpleRemapper(Map.of(owner + "." + name + desc, newName))));
    }

    static byte[] renameField(byte[] in, String owner, String name, String newName) {
        return rewrite(in, w -> new ClassRemapper(w, new SimpleRemapper(Map.of(owner + "." + name, newName))));
    }

    /** The method keeps its body under another name (callers follow); its name now has {@code newDesc} and a stub body. */
    static byte[] replaceWithStub(byte[] in, String owner, String name, String desc, String newDesc) {
        byte[] renamed = renameMethod(in, owner, name, desc, name + "$previous");
        return rewrite(renamed, w -> new ClassVisitor(Opcodes.ASM9, w) {
            @Override
            public void visitEnd() {
                MethodVisitor mv = super.visitMethod(Opcodes.ACC_PUBLIC, name, newDesc, null, null);
                mv.visitCode();
                mv.visitTypeInsn(Opcodes.NEW, "java/lang/UnsupportedOperationException");
                mv.visitInsn(Opcodes.DUP);
                mv.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/UnsupportedOperationException", "<init>", "()V", false);
                mv.visitInsn(Opcodes.ATHROW);
                mv.visitMaxs(2, 10);
                mv.visitEnd();
                super.visitEnd();
            }
        });
    }

    static byte[] addField(byte[] in, String name, String desc) {
        return rewrite(in, w -> new ClassVisitor(Opcodes.ASM9, w) {
            @Override
            public void visitEnd() {
                super.visitField(Opcodes.ACC_PRIVATE, name, desc, null, null).visitEnd();
                super.visitEnd();
            }
        });
    }

    /** The field and every access to it get another type (still a valid class: accesses are not resolved until run). */
    static byte[] retypeField(byte[] in, String owner, String name, String desc, String newDesc) {
        return rewrite(in, w -> new ClassVisitor(Opcodes.ASM9, w) {
            @Override
            public org.objectweb.asm.FieldVisitor visitField(int access, String n, String d, String s, Object v) {
                return super.visitField(access, n, n.equals(name) && d.equals(desc) ? newDesc : d, s, v);
            }
        });
    }

    static byte[] renameCall(byte[] in, String name, String newName) {
        return rewrite(in, w -> new ClassVisitor(Opcodes.ASM9, w) {
            @Override
            public MethodVisitor visitMethod(int access, String n, String d, String s, String[] e) {
                return new MethodVisitor(Opcodes.ASM9, super.visitMethod(access, n, d, s, e)) {
                    @Override
                    public void visitMethodInsn(int opcode, String owner, String callName, String desc, boolean itf) {
                        super.visitMethodInsn(opcode, owner, callName.equals(name) ? newName : callName, desc, itf);
                    }
                };
            }
        });
    }
}
