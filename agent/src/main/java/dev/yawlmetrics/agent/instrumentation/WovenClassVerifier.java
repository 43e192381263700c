package dev.yawlmetrics.agent.instrumentation;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.BasicVerifier;

import java.util.Set;

/**
 * Runs ASM's {@link BasicVerifier} over every method the weaver wrote into or added, before the
 * bytes go back to the JVM. It needs no class loading (references are one kind of value), so it
 * cannot trigger loading from inside a transformer; it catches what a weaving slip produces: a
 * hook called with too few or wrongly typed values, a kept value of the wrong size, an
 * unbalanced stack at a return or a throw. A class that fails is returned unchanged by the gate.
 */
final class WovenClassVerifier {
    private WovenClassVerifier() {}

    /** @return null when every touched method verifies, else one sentence naming the first that does not */
    static String verify(byte[] woven, Set<String> touchedMethods) {
        ClassNode node = new ClassNode();
        new ClassReader(woven).accept(node, ClassReader.SKIP_DEBUG);
        for (MethodNode m : node.methods) {
            if (!touchedMethods.contains(m.name + m.desc) || m.instructions.size() == 0) {
                continue;
            }
            try {
                new Analyzer<BasicValue>(new BasicVerifier()).analyze(node.name, m);
            } catch (AnalyzerException | RuntimeException e) {
                return "woven method " + m.name + m.desc + " does not verify: " + e.getMessage();
            }
        }
        return null;
    }
}
