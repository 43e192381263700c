package dev.yawlmetrics.buildtools;

import dev.yawlmetrics.buildtools.zoo.LambdaZoo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LambdaDesugarerTest {

    /** The zoo's class files as the compiler wrote them, by internal name. */
    private static Map<String, byte[]> zooClasses() throws IOException, URISyntaxException {
        Path root = Path.of(LambdaZoo.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Map<String, byte[]> classes = new LinkedHashMap<>();
        try (Stream<Path> files = Files.walk(root.resolve("dev/yawlmetrics/buildtools/zoo"))) {
            for (Path p : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class"))::iterator) {
                String name = root.relativize(p).toString().replace('\\', '/');
                classes.put(name.substring(0, name.length() - ".class".length()), Files.readAllBytes(p));
            }
        }
        return classes;
    }

    private static Map<String, byte[]> desugarAll(Map<String, byte[]> classes, LambdaDesugarer desugarer) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> e : classes.entrySet()) {
            LambdaDesugarer.Result r = desugarer.desugar(e.getValue());
            if (r == null) {
                out.put(e.getKey(), e.getValue());
                continue;
            }
            DesugarJar.verify(r.host());
            out.put(e.getKey(), r.host());
            r.generated().forEach((name, bytes) -> {
                DesugarJar.verify(bytes);
                out.put(name, bytes);
            });
        }
        return out;
    }

    /** Defines the given classes itself (the zoo is not read from the test class path). */
    private static final class MapLoader extends ClassLoader {
        private final Map<String, byte[]> classes;

        MapLoader(Map<String, byte[]> classes) {
            super("desugared-zoo", ClassLoader.getPlatformClassLoader());
            this.classes = classes;
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] b = classes.get(name.replace('.', '/'));
            if (b == null) {
                throw new ClassNotFoundException(name);
            }
            return defineClass(name, b, 0, b.length);
        }
    }

    private static List<String> metafactorySites(byte[] classFile) {
        return LambdaDesugarer.lambdaSites(classFile).stream()
                .map(site -> site.bootstrap() + " " + site.implementation().getName()).toList();
    }

    @Test
    void desugaredLambdasComputeWhatTheOriginalsComputed() throws Exception {
        Map<String, byte[]> original = zooClasses();
        ClassIndex index = new ClassIndex();
        original.values().forEach(index::add);
        LambdaDesugarer desugarer = new LambdaDesugarer(index);
        Map<String, byte[]> desugared = desugarAll(original, desugarer);

        Class<?> zoo = new MapLoader(desugared).loadClass(LambdaZoo.class.getName());
        Method run = zoo.getMethod("run");
        String expected = LambdaZoo.run();
        assertEquals(expected, run.invoke(null));
        assertTrue(expected.endsWith("same=true,distinct=true,true"), expected);

        // Everything was replaced except what must stay: the serializable lambda (its site and the one
        // in the $deserializeLambda$ javac writes for it) and the nestmate's reference to its host's
        // private method.
        List<String> left = new ArrayList<>();
        desugared.forEach((name, bytes) -> metafactorySites(bytes).forEach(s -> left.add(name + ": " + s)));
        assertEquals(3, left.size(), left.toString());
        assertEquals(Map.of("LambdaMetafactory.altMetafactory (serializable, marker interfaces or bridges)", 2,
                "private method of another class (a nestmate)", 1), desugarer.kept());
        assertTrue(desugarer.replaced() >= 30, "replaced " + desugarer.replaced());
        long generated = desugared.keySet().stream().filter(n -> n.contains(LambdaDesugarer.GENERATED_INFIX)).count();
        assertEquals(desugarer.replaced(), generated);
    }

    @Test
    void theGeneratedClassesAreWhatRunsNotTheMetafactory() throws Exception {
        Map<String, byte[]> original = zooClasses();
        ClassIndex index = new ClassIndex();
        original.values().forEach(index::add);
        Map<String, byte[]> desugared = desugarAll(original, new LambdaDesugarer(index));
        ClassLoader loader = new MapLoader(desugared);
        Class<?> zoo = loader.loadClass(LambdaZoo.class.getName());
        Object supplier = zoo.getDeclaredMethod("nonCapturing").invoke(null);
        Class<?> type = supplier.getClass();
        assertEquals(loader, type.getClassLoader());
        assertTrue(type.getName().startsWith(LambdaZoo.class.getName() + LambdaDesugarer.GENERATED_INFIX), type.getName());
        assertTrue(!type.isHidden() && type.isSynthetic(), type + " hidden=" + type.isHidden());
    }

    @Test
    void aClassWithoutLambdasIsLeftAlone() throws Exception {
        byte[] helper = zooClasses().get("dev/yawlmetrics/buildtools/zoo/Helper");
        assertNotNull(helper);
        assertNull(new LambdaDesugarer(new ClassIndex()).desugar(helper));
    }

    @Test
    void conversionsTheMetafactoryWouldRejectKeepTheSite() {
        // long to int is a narrowing, which no lambda linkage does.
        assertThrows(LambdaDesugarer.Kept.class, () -> Conversions.widen(new org.objectweb.asm.tree.MethodNode(),
                org.objectweb.asm.Type.LONG_TYPE, org.objectweb.asm.Type.INT_TYPE));
        assertThrows(LambdaDesugarer.Kept.class, () -> Conversions.widen(new org.objectweb.asm.tree.MethodNode(),
                org.objectweb.asm.Type.BOOLEAN_TYPE, org.objectweb.asm.Type.INT_TYPE));
        assertThrows(LambdaDesugarer.Kept.class, () -> Conversions.convertReturn(new org.objectweb.asm.tree.MethodNode(),
                org.objectweb.asm.Type.VOID_TYPE, org.objectweb.asm.Type.INT_TYPE, org.objectweb.asm.Type.INT_TYPE));
    }

    @Test
    void theJarIsRewrittenInPlaceWithTheManifestFirstAndExclusionsUntouched(@TempDir Path dir) throws Exception {
        Map<String, byte[]> classes = zooClasses();
        Path jar = dir.resolve("zoo.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Premain-Class", "x.Y");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream zip = new JarOutputStream(out, manifest)) {
            for (Map.Entry<String, byte[]> e : classes.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey() + ".class"));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        String greeter = "dev/yawlmetrics/buildtools/zoo/Greeter";
        String summary = DesugarJar.desugar(jar, Set.of(greeter));
        assertTrue(summary.contains("kept as invokedynamic: 2 LambdaMetafactory.altMetafactory"), summary);

        try (JarFile read = new JarFile(jar.toFile())) {
            assertEquals("x.Y", read.getManifest().getMainAttributes().getValue("Premain-Class"));
            try (InputStream in = read.getInputStream(read.getEntry(greeter + ".class"))) {
                assertEquals(metafactorySites(classes.get(greeter)), metafactorySites(in.readAllBytes()));
            }
            assertTrue(read.stream().anyMatch(e -> e.getName().startsWith("dev/yawlmetrics/buildtools/zoo/LambdaZoo$$Lambda$")));
            assertTrue(read.stream().noneMatch(e -> e.getName().startsWith(greeter + "$$Lambda$")));
        }
        assertTrue(Files.list(dir).noneMatch(p -> p.getFileName().toString().endsWith(".desugaring")));
    }

    @Test
    void anExclusionThatNamesNoClassFailsTheBuild(@TempDir Path dir) throws Exception {
        Path jar = dir.resolve("empty.jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream zip = new JarOutputStream(out, new Manifest())) {
            zip.putNextEntry(new ZipEntry("a.txt"));
            zip.closeEntry();
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> DesugarJar.desugar(jar, Set.of("no/Such")));
        assertTrue(e.getMessage().contains("--exclude no/Such"), e.getMessage());
    }
}
