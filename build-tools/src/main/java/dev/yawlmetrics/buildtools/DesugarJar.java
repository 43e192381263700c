package dev.yawlmetrics.buildtools;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicVerifier;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * {@code DesugarJar <jar> [--exclude internal/ClassName]...}: rewrites the jar in place with
 * {@link LambdaDesugarer}, each generated class written right after its host, every other entry
 * (the manifest first) unchanged. An excluded class keeps its lambdas: the agent copies some of
 * its classes' bytes into other packages at run time, where a generated companion would be
 * missing. An exclusion that names no class in the jar fails the build, so it cannot go stale.
 */
public final class DesugarJar {
    private DesugarJar() {}

    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            System.err.println("usage: DesugarJar <jar> [--exclude internal/ClassName]...");
            System.exit(2);
        }
        Path jar = Path.of(args[0]);
        Set<String> excluded = new LinkedHashSet<>();
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--exclude") && i + 1 < args.length) {
                excluded.add(args[++i]);
            } else {
                System.err.println("DesugarJar: unknown argument " + args[i]);
                System.exit(2);
            }
        }
        try {
            System.out.println(desugar(jar, excluded));
        } catch (IllegalStateException e) {
            System.err.println("DesugarJar: " + e.getMessage());
            System.exit(1);
        }
    }

    /** Rewrites {@code jar}; returns the one-line summary. */
    public static String desugar(Path jar, Set<String> excluded) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        Map<String, Long> times = new LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(jar); ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                entries.put(e.getName(), zip.readAllBytes());
                times.put(e.getName(), e.getTime());
            }
        }
        ClassIndex index = new ClassIndex();
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            if (isClass(e.getKey())) {
                index.add(e.getValue());
            }
        }
        for (String name : excluded) {
            if (!index.contains(name)) {
                throw new IllegalStateException("--exclude " + name + ": no such class in " + jar);
            }
        }
        LambdaDesugarer desugarer = new LambdaDesugarer(index);
        Path tmp = jar.resolveSibling(jar.getFileName() + ".desugaring");
        int hosts = 0;
        int generatedClasses = 0;
        try (OutputStream out = Files.newOutputStream(tmp); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                String name = e.getKey();
                byte[] bytes = e.getValue();
                Map<String, byte[]> generated = Map.of();
                if (isClass(name) && !excluded.contains(name.substring(0, name.length() - ".class".length()))) {
                    LambdaDesugarer.Result r = desugarer.desugar(bytes);
                    if (r != null) {
                        verify(r.host());
                        bytes = r.host();
                        generated = r.generated();
                        for (byte[] g : generated.values()) {
                            verify(g);
                        }
                        hosts++;
                        generatedClasses += generated.size();
                    }
                }
                put(zip, name, bytes, times.get(name));
                for (Map.Entry<String, byte[]> g : generated.entrySet()) {
                    put(zip, g.getKey() + ".class", g.getValue(), times.get(name));
                }
            }
        }
        Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        List<String> kept = new ArrayList<>();
        desugarer.kept().forEach((reason, n) -> kept.add(n + " " + reason));
        return "lambda desugaring of " + jar.getFileName() + ": " + desugarer.replaced() + " call sites in " + hosts
                + " classes replaced by " + generatedClasses + " classes; kept as invokedynamic: "
                + (kept.isEmpty() ? "none" : String.join(", ", kept));
    }

    private static boolean isClass(String entry) {
        return entry.endsWith(".class") && !entry.startsWith("META-INF/") && !entry.endsWith("module-info.class");
    }

    private static void put(ZipOutputStream zip, String name, byte[] bytes, Long time) throws IOException {
        ZipEntry e = new ZipEntry(name);
        if (time != null) {
            e.setTime(time);
        }
        zip.putNextEntry(e);
        zip.write(bytes);
        zip.closeEntry();
    }

    /** Structural check (stack shapes, operand kinds) of every method; the JVM's verifier does the rest at load. */
    static void verify(byte[] classFile) {
        ClassNode node = new ClassNode();
        new ClassReader(classFile).accept(node, 0);
        for (MethodNode m : node.methods) {
            try {
                new Analyzer<>(new BasicVerifier()).analyze(node.name, m);
            } catch (AnalyzerException e) {
                throw new IllegalStateException("desugared " + node.name + "." + m.name + m.desc + " does not verify: " + e.getMessage(), e);
            }
        }
    }
}
