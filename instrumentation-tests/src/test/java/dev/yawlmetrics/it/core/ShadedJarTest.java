package dev.yawlmetrics.it.core;

import dev.yawlmetrics.buildtools.LambdaDesugarer;
import dev.yawlmetrics.testsupport.AgentJvm;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the built jar holds: everything relocated under our package, one ASM, not two, and its
 * lambdas as classes (build-tools' desugaring step), not call sites the JVM spins classes for.
 */
class ShadedJarTest {

    private static List<String> classes() throws Exception {
        try (JarFile jar = new JarFile(AgentJvm.agentJar().toFile())) {
            return jar.stream().map(ZipEntry::getName).filter(n -> n.endsWith(".class")).toList();
        }
    }

    @Test
    void everyClassLivesUnderTheAgentsOwnPackage() throws Exception {
        // An engine with its own Micrometer, Byte Buddy or ASM never sees ours.
        assertEquals(List.of(), classes().stream().filter(n -> !n.startsWith("dev/yawlmetrics/agent/")).toList());
    }

    @Test
    void oneAsmTheOneByteBuddyShipsWithTheTreeAndAnalysisPackagesOnIt() throws Exception {
        List<String> readers = classes().stream().filter(n -> n.endsWith("/ClassReader.class")).toList();
        assertEquals(List.of("dev/yawlmetrics/agent/shaded/net/bytebuddy/jar/asm/ClassReader.class"), readers);
        assertEquals(1, classes().stream().filter(n -> n.endsWith("/asm/tree/analysis/Analyzer.class")).count());
    }

    @Test
    void lambdasAreClassesInTheJarNotCallSitesForTheJvmToSpin() throws Exception {
        List<String> left = new ArrayList<>();
        int generated = 0;
        try (JarFile jar = new JarFile(AgentJvm.agentJar().toFile())) {
            Set<String> inJar = jar.stream().map(ZipEntry::getName).filter(n -> n.endsWith(".class"))
                    .map(n -> n.substring(0, n.length() - ".class".length())).collect(Collectors.toSet());
            for (JarEntry e : jar.stream().filter(e -> e.getName().endsWith(".class")).toList()) {
                generated += e.getName().contains(LambdaDesugarer.GENERATED_INFIX) ? 1 : 0;
                byte[] bytes;
                try (InputStream in = jar.getInputStream(e)) {
                    bytes = in.readAllBytes();
                }
                // Left alone on purpose: serializable lambdas (altMetafactory), and references to
                // libraries the jar does not hold (Micrometer's binders for Kafka, Hibernate, ...),
                // which never run in an engine without them.
                for (LambdaDesugarer.LambdaSite site : LambdaDesugarer.lambdaSites(bytes)) {
                    String target = site.implementation().getOwner();
                    if (site.bootstrap().equals("metafactory") && (inJar.contains(target) || target.startsWith("java/"))) {
                        left.add(e.getName() + " -> " + target + "." + site.implementation().getName());
                    }
                }
            }
        }
        assertEquals(List.of(), left);
        assertTrue(generated > 500, "only " + generated + " generated lambda classes in the jar");
    }

    @Test
    void theManifestAsksForRetransformationOnlyNotRedefinition() throws Exception {
        // Least privilege: the agent retransforms classes loaded before it (late attach) and opens
        // packages with redefineModule, which needs no capability; it never calls redefineClasses.
        try (JarFile jar = new JarFile(AgentJvm.agentJar().toFile())) {
            Attributes main = jar.getManifest().getMainAttributes();
            assertEquals("true", main.getValue("Can-Retransform-Classes"));
            assertNull(main.getValue("Can-Redefine-Classes"));
            assertEquals("dev.yawlmetrics.agent.YawlMetricsAgent", main.getValue("Premain-Class"));
            assertEquals("dev.yawlmetrics.agent.YawlMetricsAgent", main.getValue("Agent-Class"));
        }
    }
}
