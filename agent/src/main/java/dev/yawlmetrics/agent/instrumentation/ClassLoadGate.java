package dev.yawlmetrics.agent.instrumentation;

import dev.yawlmetrics.agent.config.InstrumentationName;
import dev.yawlmetrics.agent.core.MetricsAgentLog;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassWriter;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.HashSet;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * The agent's only {@link ClassFileTransformer}. It sees every class the JVM loads, so it does
 * nothing but a hash lookup of the class name until a target appears. Targets are read and
 * rewritten with ASM (the copy Byte Buddy ships) in one pass: {@link ClassShape} for the shape
 * check, {@link Weaving} for the changes. Byte Buddy's own type model and Advice are not used:
 * their first use cost an engine ~0.8 s of CPU and ~40 MiB at start-up (docs/benchmarks.md).
 *
 * <p>Every failure is contained here: a transformation that throws leaves the class exactly as
 * the engine compiled it, is logged once and counted in {@code yawl_metrics_agent_transformation_errors_total}.
 */
public final class ClassLoadGate implements ClassFileTransformer {
    /** Internal names (slashes) of the target classes: all premain needs, no Byte Buddy involved. */
    private final Set<String> targetNames;
    private final List<InstrumentationModule> modules;
    private final InstrumentationOutcomes outcomes;
    private final Path dumpDir;
    private final ModuleBindings bindings;
    private volatile boolean dumpFailed;
    /** Target internal name -> the instrumentations that rewrite it; built on first use, off premain. */
    private volatile Map<String, List<Target>> targetsByInternalName;
    private final Object lock = new Object();
    /** Stands for the bootstrap loader (null) as a key of {@link #decided}. */
    private static final Object BOOT = new Object();
    private final Map<Object, Set<String>> decided = new WeakHashMap<>();

    static final class Target {
        final InstrumentationName module;
        final TypeInstrumentation type;

        Target(InstrumentationName module, TypeInstrumentation type) {
            this.module = module;
            this.type = type;
        }
    }

    public ClassLoadGate(List<InstrumentationModule> modules, InstrumentationOutcomes outcomes) {
        this(modules, outcomes, null);
    }

    /** @param dumpDir where to write original and woven class files, or null (yawl.metrics.debug.dump-dir) */
    public ClassLoadGate(List<InstrumentationModule> modules, InstrumentationOutcomes outcomes, Path dumpDir) {
        this(modules, outcomes, dumpDir, null);
    }

    /**
     * @param bindings bound before the first woven class is handed to the JVM (its code may run
     *                 before the start-up thread gets to it), or null (tests without recorders)
     */
    public ClassLoadGate(List<InstrumentationModule> modules, InstrumentationOutcomes outcomes, Path dumpDir, ModuleBindings bindings) {
        this.bindings = bindings;
        this.modules = List.copyOf(modules);
        this.outcomes = outcomes;
        this.dumpDir = dumpDir;
        Set<String> names = new HashSet<>();
        for (InstrumentationModule m : modules) {
            for (String name : m.targetClassNames()) {
                names.add(name.replace('.', '/'));
            }
        }
        this.targetNames = Collections.unmodifiableSet(names);
    }

    /**
     * The type instrumentations by target, created on first use: their matchers and hooks load
     * classes that premain must not pay for on the engine's main thread.
     */
    private Map<String, List<Target>> targets() {
        Map<String, List<Target>> t = targetsByInternalName;
        if (t == null) {
            synchronized (lock) {
                t = targetsByInternalName;
                if (t == null) {
                    Map<String, List<Target>> map = new HashMap<>();
                    for (InstrumentationModule m : modules) {
                        for (TypeInstrumentation ti : m.typeInstrumentations()) {
                            String key = ti.targetClassName().replace('.', '/');
                            List<Target> list = map.get(key);
                            if (list == null) {
                                list = new ArrayList<>();
                                map.put(key, list);
                            }
                            list.add(new Target(m.name(), ti));
                        }
                    }
                    t = Collections.unmodifiableMap(map);
                    targetsByInternalName = t;
                }
            }
        }
        return t;
    }

    public boolean isTarget(String binaryName) {
        return targetNames.contains(binaryName.replace('.', '/'));
    }

    public boolean hasTargets() {
        return !targetNames.isEmpty();
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classfileBuffer) {
        if (className == null) {
            return null;
        }
        if (!targetNames.contains(className)) {
            return null;
        }
        String binaryName = className.replace('/', '.');
        List<Target> targets;
        try {
            targets = targets().get(className);
        } catch (Throwable t) {
            MetricsAgentLog.error("could not prepare the instrumentation of " + binaryName + "; it runs unchanged: " + t);
            return null;
        }
        if (targets == null) {
            return null;
        }
        try {
            return rewrite(binaryName, loader, classfileBuffer, targets, classBeingRedefined != null);
        } catch (Throwable t) {
            for (Target target : targets) {
                outcomes.transformationError(target.module);
            }
            MetricsAgentLog.error("could not instrument " + binaryName + "; it runs unchanged: " + t);
            return null;
        }
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classfileBuffer) {
        return transform(null, loader, className, classBeingRedefined, protectionDomain, classfileBuffer);
    }

    private byte[] rewrite(String binaryName, ClassLoader loader, byte[] classfile, List<Target> targets, boolean alreadyLoaded) {
        ClassReader reader = new ClassReader(classfile);
        ClassShape type = ClassShape.read(reader);
        List<Target> candidates = new ArrayList<>();
        boolean deferred = false;
        for (Target target : targets) {
            if (!target.type.ready()) {
                deferred = true;
                MetricsAgentLog.debug(target.module.id() + ": " + binaryName + " loaded before the module was ready;"
                        + " it is instrumented by retransformation once the agent has started");
                continue;
            }
            if (alreadyLoaded && target.type.addsMembers()) {
                outcomes.skipped(target.module);
                MetricsAgentLog.warn(target.module.id() + ": left already-loaded " + binaryName + " unchanged: this instrumentation adds"
                        + " fields to the class, which the JVM allows only when the class is first loaded (attach the agent"
                        + " with -javaagent at start-up)");
                continue;
            }
            String drift = target.type.checkShape(type);
            if (drift != null) {
                notApplied(target, binaryName, "its shape drifted (" + drift + ")");
                continue;
            }
            candidates.add(target);
        }
        if (!deferred) {
            markDecided(loader, binaryName);
        }
        // Each round weaves what is left; a target whose rules found fewer sites than they expect
        // is dropped and the class woven again without it, so the others still apply.
        while (!candidates.isEmpty()) {
            Weaving weaving = new Weaving(type, loader);
            for (Target target : candidates) {
                weaving.contributor(target);
                target.type.transform(weaving);
            }
            if (weaving.isEmpty()) {
                return null;
            }
            String unreachable = weaving.unreachableHook();
            if (unreachable != null) {
                for (Target target : candidates) {
                    outcomes.skipped(target.module);
                }
                MetricsAgentLog.warn("left " + binaryName + " unchanged: its class loader (" + loader + ") does not see the agent's "
                        + unreachable + " (an isolated loader); no metrics for this class, the engine runs unchanged");
                return null;
            }
            byte[] out = write(reader, weaving);
            Map<Object, List<String>> shortfalls = weaving.shortfalls();
            if (!shortfalls.isEmpty()) {
                for (Map.Entry<Object, List<String>> e : shortfalls.entrySet()) {
                    Target target = (Target) e.getKey();
                    notApplied(target, binaryName, String.join("; ", e.getValue()));
                    candidates.remove(target);
                }
                continue;
            }
            String invalid = WovenClassVerifier.verify(out, weaving.touchedMethods());
            dump(binaryName, classfile, out);
            if (invalid != null) {
                for (Target target : candidates) {
                    outcomes.transformationError(target.module);
                }
                MetricsAgentLog.error("left " + binaryName + " unchanged: " + invalid + " (instrumentations "
                        + ids(candidates) + "; the engine runs unchanged)");
                return null;
            }
            if (bindings != null) {
                bindings.bindAll();
            }
            for (Target target : candidates) {
                outcomes.applied(target.module);
                MetricsAgentLog.info(target.module.id() + ": instrumented " + binaryName
                        + (loader == null ? " (bootstrap class loader)" : " (loader " + loader.getClass().getName() + ")"));
            }
            return out;
        }
        return null;
    }

    private void notApplied(Target target, String binaryName, String why) {
        outcomes.skipped(target.module);
        MetricsAgentLog.warn(target.module.id() + ": left " + binaryName + " unchanged because " + why
                + "; yawl_metrics_agent_instrumentation_applied{instrumentation=\"" + target.module.id()
                + "\"} stays 0 for this class");
    }

    private static String ids(List<Target> targets) {
        StringBuilder sb = new StringBuilder();
        for (Target t : targets) {
            sb.append(sb.length() == 0 ? "" : ", ").append(t.module.id());
        }
        return sb.toString();
    }

    /** Writes the original and woven class files when {@code yawl.metrics.debug.dump-dir} is set. */
    private void dump(String binaryName, byte[] original, byte[] woven) {
        Path dir = dumpDir;
        if (dir == null) {
            return;
        }
        try {
            Files.createDirectories(dir);
            Files.write(dir.resolve(binaryName + ".original.class"), original);
            Files.write(dir.resolve(binaryName + ".woven.class"), woven);
        } catch (Exception | LinkageError e) {
            if (!dumpFailed) {
                dumpFailed = true;
                MetricsAgentLog.warn("could not write class files to " + dir + " (yawl.metrics.debug.dump-dir): " + e);
            }
        }
    }

    /**
     * One pass, frames expanded so advice can declare its locals in them; max stack and locals
     * recomputed. Frames are never recomputed: that would need the engine's class hierarchy,
     * i.e. loading engine classes from inside a transformer.
     */
    static byte[] write(ClassReader reader, Weaving weaving) {
        ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
        reader.accept(weaving.applyTo(writer), ClassReader.EXPAND_FRAMES);
        return writer.toByteArray();
    }

    /**
     * Loads the rewriting path now by weaving a class of our own, so the first engine class to be
     * instrumented does not pay for class loading (the start-up thread calls this; engine
     * threads normally never do).
     */
    public void warmUp() {
        if (!hasTargets()) {
            return;
        }
        try {
            targets();
            String resource = WarmUp.class.getName().replace('.', '/') + ".class";
            byte[] classfile;
            try (java.io.InputStream in = ClassLoadGate.class.getClassLoader().getResourceAsStream(resource)) {
                classfile = in.readAllBytes();
            }
            ClassReader reader = new ClassReader(classfile);
            Weaving weaving = new Weaving(ClassShape.read(reader), null);
            weaving.advise(Members.named("run"), MethodAdvice.timed(MethodAdvice.Hook.of(WarmUp.class, "done"),
                    MethodAdvice.Arg.enterValue(), MethodAdvice.Arg.thrown()));
            WovenClassVerifier.verify(write(reader, weaving), weaving.touchedMethods());
        } catch (Throwable t) {
            MetricsAgentLog.debug("warm-up failed (harmless): " + t);
        }
    }

    /** Never loaded for real by the engine; only its class file is rewritten by {@link #warmUp()}. */
    static final class WarmUp {
        static long run() {
            return 0;
        }

        public static void done(long startNanos, Throwable thrown) {
            // the hook of the warm-up advice; never called
        }
    }

    /**
     * Records that this (loader, class) got its final answer at load time, so the start-up
     * retransformation pass does not rewrite (or count as drifted) the same class a second time.
     * Weak keys: a webapp loader that goes away takes its entry with it.
     */
    private void markDecided(ClassLoader loader, String binaryName) {
        synchronized (decided) {
            Set<String> names = decided.get(loader == null ? BOOT : loader);
            if (names == null) {
                names = new HashSet<>();
                decided.put(loader == null ? BOOT : loader, names);
            }
            names.add(binaryName);
        }
    }

    private boolean isDecided(Class<?> c) {
        ClassLoader loader = c.getClassLoader();
        synchronized (decided) {
            Set<String> names = decided.get(loader == null ? BOOT : loader);
            return names != null && names.contains(c.getName());
        }
    }

    /** Retransforms targets that were already loaded when the agent arrived (late attach, early loads). */
    public void retransformLoaded(Instrumentation inst) {
        List<Class<?>> loaded = new ArrayList<>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            String internal = c.getName().replace('.', '/');
            List<Target> targets = targetNames.contains(internal) ? targets().get(internal) : null;
            if (targets == null || !inst.isModifiableClass(c) || isDecided(c)) {
                continue;
            }
            loaded.add(c);
        }
        for (Class<?> c : loaded) {
            try {
                inst.retransformClasses(c);
            } catch (Throwable t) {
                MetricsAgentLog.error("could not retransform already-loaded " + c.getName() + "; it runs unchanged: " + t);
            }
        }
    }
}
