package dev.yawlmetrics.agent.instrumentation;

import dev.yawlmetrics.agent.config.InstrumentationName;
import dev.yawlmetrics.agent.core.AgentLog;
import dev.yawlmetrics.agent.metrics.SelfMetrics;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.scaffold.MethodGraph;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.pool.TypePool;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
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
 * nothing but a hash lookup of the class name until a target appears; Byte Buddy is built on the
 * agent's start-up thread (or, if an engine class wins the race, on first use) and only ever
 * asked about target classes.
 *
 * <p>Every failure is contained here: a transformation that throws leaves the class exactly as
 * the engine compiled it, is logged once and counted in {@code yawl_agent_transformation_errors_total}.
 */
public final class ClassLoadGate implements ClassFileTransformer {
    /** Internal names (slashes) of the target classes: all premain needs, no Byte Buddy involved. */
    private final Set<String> targetNames;
    private final List<InstrumentationModule> modules;
    /** Target internal name -> the instrumentations that rewrite it; built on first use, off premain. */
    private volatile Map<String, List<Target>> targetsByInternalName;
    private final Object lock = new Object();
    private volatile ByteBuddy byteBuddy;
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

    public ClassLoadGate(List<InstrumentationModule> modules) {
        this.modules = List.copyOf(modules);
        Set<String> names = new HashSet<>();
        for (InstrumentationModule m : modules) {
            for (String name : m.targetClassNames()) {
                names.add(name.replace('.', '/'));
            }
        }
        this.targetNames = Collections.unmodifiableSet(names);
    }

    /**
     * The type instrumentations by target, created on first use: their matchers and advice
     * descriptions load Byte Buddy, which premain must not pay for on the engine's main thread.
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
            AgentLog.error("could not prepare the instrumentation of " + binaryName + "; it runs unchanged: " + t);
            return null;
        }
        if (targets == null) {
            return null;
        }
        try {
            return rewrite(binaryName, loader, classfileBuffer, targets, classBeingRedefined != null);
        } catch (Throwable t) {
            for (Target target : targets) {
                SelfMetrics.countTransformationError(target.module);
            }
            AgentLog.error("could not instrument " + binaryName + "; it runs unchanged: " + t);
            return null;
        }
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classfileBuffer) {
        return transform(null, loader, className, classBeingRedefined, protectionDomain, classfileBuffer);
    }

    /**
     * Byte Buddy used directly rather than through AgentBuilder: AgentBuilder's transformer is a
     * generated class injected with sun.misc.Unsafe, which prints a deprecation warning on Java 25.
     */
    private byte[] rewrite(String binaryName, ClassLoader loader, byte[] classfile, List<Target> targets, boolean alreadyLoaded) {
        ClassFileLocator locator = new ClassFileLocator.Compound(
                ClassFileLocator.Simple.of(binaryName, classfile),
                loader == null ? ClassFileLocator.ForClassLoader.ofBootLoader() : ClassFileLocator.ForClassLoader.of(loader));
        TypePool pool = TypePool.Default.WithLazyResolution.of(locator);
        TypeDescription type = pool.describe(binaryName).resolve();
        DynamicType.Builder<?> builder = byteBuddy().redefine(type, locator);
        List<Target> applied = new ArrayList<>();
        boolean deferred = false;
        for (Target target : targets) {
            if (!target.type.ready()) {
                deferred = true;
                AgentLog.debug(target.module.id() + ": " + binaryName + " loaded before the module was ready;"
                        + " it is instrumented by retransformation once the agent has started");
                continue;
            }
            if (alreadyLoaded && target.type.addsMembers()) {
                SelfMetrics.countSkipped(target.module);
                AgentLog.warn(target.module.id() + ": left already-loaded " + binaryName + " unchanged: this instrumentation adds"
                        + " fields to the class, which the JVM allows only when the class is first loaded (attach the agent"
                        + " with -javaagent at start-up)");
                continue;
            }
            String drift = target.type.checkShape(type);
            if (drift != null) {
                SelfMetrics.countSkipped(target.module);
                AgentLog.warn(target.module.id() + ": left " + binaryName + " unchanged because its shape drifted ("
                        + drift + "); yawl_agent_instrumentation_applied{instrumentation=\"" + target.module.id()
                        + "\"} stays 0 for this class");
                continue;
            }
            builder = target.type.transform(builder, type, loader);
            applied.add(target);
        }
        if (!deferred) {
            markDecided(loader, binaryName);
        }
        if (applied.isEmpty()) {
            return null;
        }
        byte[] out = builder.make(pool).getBytes();
        for (Target target : applied) {
            SelfMetrics.markApplied(target.module);
            AgentLog.info(target.module.id() + ": instrumented " + binaryName
                    + (loader == null ? " (bootstrap class loader)" : " (loader " + loader.getClass().getName() + ")"));
        }
        return out;
    }

    /**
     * Loads Byte Buddy's transformation path now by rewriting a class of our own, so the first
     * engine class to be instrumented does not pay for loading Byte Buddy (the start-up thread
     * calls this; engine threads normally never do).
     */
    public void warmUp() {
        if (!hasTargets()) {
            return;
        }
        try {
            targets();
            String name = WarmUp.class.getName();
            ClassFileLocator locator = ClassFileLocator.ForClassLoader.of(ClassLoadGate.class.getClassLoader());
            TypePool pool = TypePool.Default.WithLazyResolution.of(locator);
            TypeDescription type = pool.describe(name).resolve();
            byteBuddy().redefine(type, locator)
                    .visit(net.bytebuddy.asm.Advice.to(WarmUp.Advice.class).on(net.bytebuddy.matcher.ElementMatchers.named("run")))
                    .make(pool).getBytes();
        } catch (Throwable t) {
            AgentLog.debug("warm-up failed (harmless): " + t);
        }
    }

    /** Never loaded for real; only its class file is rewritten by {@link #warmUp()}. */
    static final class WarmUp {
        static long run() {
            return 0;
        }

        static final class Advice {
            @net.bytebuddy.asm.Advice.OnMethodEnter(suppress = Throwable.class)
            static long enter() {
                return System.nanoTime();
            }
        }
    }

    private ByteBuddy byteBuddy() {
        ByteBuddy b = byteBuddy;
        if (b == null) {
            synchronized (lock) {
                b = byteBuddy;
                if (b == null) {
                    // No auxiliary members, no type validation: the rewritten class has exactly
                    // the engine's members, which is what retransformation requires.
                    // Byte Buddy ignores synthetic methods by default; the engine's renewal and
                    // discovery loops are synthetic lambda methods (lambda$startHeartbeat$0), so
                    // only the default finalizer stays ignored.
                    b = new ByteBuddy()
                            .ignore(net.bytebuddy.matcher.ElementMatchers.isDefaultFinalizer())
                            .with(TypeValidation.DISABLED)
                            .with(Implementation.Context.Disabled.Factory.INSTANCE)
                            .with(MethodGraph.Compiler.ForDeclaredMethods.INSTANCE);
                    byteBuddy = b;
                }
            }
        }
        return b;
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
                AgentLog.error("could not retransform already-loaded " + c.getName() + "; it runs unchanged: " + t);
            }
        }
    }
}
