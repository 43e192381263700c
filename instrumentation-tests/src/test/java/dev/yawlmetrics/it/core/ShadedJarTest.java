package dev.yawlmetrics.it.core;

import dev.yawlmetrics.testsupport.AgentJvm;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What the built jar holds: everything relocated under our package, and one ASM, not two. */
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
}
