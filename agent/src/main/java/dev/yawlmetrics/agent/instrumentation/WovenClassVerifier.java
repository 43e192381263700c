package dev.yawlmetrics.agent.instrumentation;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.BasicVerifier;

import java.util.Set;

/**
 * Checks every method the weaver wrote into or added, before the bytes go back to the JVM. It
 * needs no class loading (references are one kind of value), so it cannot trigger loading from
 * inside a transformer; it catches what a weaving slip produces: a hook called with too few or
 * wrongly typed values, a kept value of the wrong size, an unbalanced stack at a jump, a return
 * or a throw, a local that a frame or an exception handler expects but a path does not set.
 * A class that fails is returned unchanged by the gate.
 *
 * <p>Class files with stack map frames (version 50 and later: everything a current compiler
 * writes) go through {@link FrameChecker}, one linear pass per method. Older class files, and
 * methods with subroutines, go through ASM's {@link BasicVerifier}, which infers what the
 * frames would have said.
 */
final class WovenClassVerifier {
    private static final int FIRST_VERSION_WITH_FRAMES = 50;

    private WovenClassVerifier() {}

    /** @return null when every touched method verifies, else one sentence naming the first that does not */
    static String verify(byte[] woven, Set<String> touchedMethods) {
        ClassReader reader = new ClassReader(woven);
        int major = reader.readUnsignedShort(6);
        if (major >= FIRST_VERSION_WITH_FRAMES) {
            String[] current = {null};
            try {
                reader.accept(new ClassVisitor(Opcodes.ASM9) {
                    @Override
                    public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                        if (!touchedMethods.contains(name + descriptor)) {
                            return null;
                        }
                        current[0] = name + descriptor;
                        return new FrameChecker(access, descriptor);
                    }
                }, ClassReader.SKIP_DEBUG | ClassReader.EXPAND_FRAMES);
                return null;
            } catch (FrameChecker.Rejected e) {
                return "woven method " + current[0] + " does not verify: " + e.getMessage();
            } catch (FrameChecker.Unsupported e) {
                // fall through to the analyser, which handles it
            } catch (RuntimeException e) {
                return "woven method " + current[0] + " could not be checked: " + e;
            }
        }
        return analyse(reader, touchedMethods);
    }

    private static String analyse(ClassReader reader, Set<String> touchedMethods) {
        ClassNode node = new ClassNode();
        reader.accept(node, ClassReader.SKIP_DEBUG);
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
