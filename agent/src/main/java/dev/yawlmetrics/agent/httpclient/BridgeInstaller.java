package dev.yawlmetrics.agent.httpclient;

import dev.yawlmetrics.agent.core.MetricsAgentLog;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.commons.ClassRemapper;
import net.bytebuddy.jar.asm.commons.SimpleRemapper;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.invoke.MethodHandles;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Makes {@link HttpClientBridge} callable from inside {@code java.net.http} (a module of the
 * platform class loader, which cannot see the agent's classes), without touching the
 * boot class path (which turns class-data sharing off and prints a warning on Java 25) and
 * without {@code sun.misc.Unsafe} (deprecation warning on Java 25):
 * <ol>
 *   <li>{@link Instrumentation#redefineModule} opens package {@code jdk.internal.net.http} to the
 *       agent's module, which is the system class loader's unnamed module: every class-path class
 *       shares it, so they all gain deep reflection into that package (logged once; module-path
 *       code and other loaders' classes gain nothing);</li>
 *   <li>the bridge's class file is renamed into that package and defined there through
 *       {@code MethodHandles.privateLookupIn(HttpClientBuilderImpl.class, lookup()).defineClass},
 *       so it belongs to {@code java.net.http} and its (platform) loader, like the class it serves;</li>
 *   <li>the agent's callbacks are stored in its static fields.</li>
 * </ol>
 * The advice calls the bridge under that name.
 */
final class BridgeInstaller {
    /** Binary name of the bridge once defined inside {@code java.net.http}. */
    static final String BRIDGE_NAME = "jdk.internal.net.http.YawlMetricsHttpBridge";
    /** A small class of the target package that exists on 17..25; loaded, never initialised. */
    static final String ANCHOR = "jdk.internal.net.http.HttpClientBuilderImpl";
    static final String PACKAGE = "jdk.internal.net.http";

    private static final String BRIDGE_SOURCE_INTERNAL = HttpClientBridge.class.getName().replace('.', '/');
    private static final String BRIDGE_INTERNAL = BRIDGE_NAME.replace('.', '/');

    private static volatile Class<?> installed;

    private BridgeInstaller() {}

    static boolean isInstalled() {
        return installed != null;
    }

    static synchronized Class<?> install(Instrumentation inst, Function<java.net.http.HttpRequest, Object> onStart,
                                         Consumer<Object> onHeaders, BiConsumer<Object, Object> onReturn,
                                         Function<java.net.http.HttpRequest, Object> onSendStart,
                                         BiConsumer<Object, Object> onSendEnd) throws Exception {
        if (installed != null) {
            return installed;
        }
        // java.net.http is defined to the platform loader (not the boot loader) on 17..25.
        ClassLoader httpLoader = java.net.http.HttpClient.class.getClassLoader();
        Class<?> anchor = Class.forName(ANCHOR, false, httpLoader);
        Module httpModule = anchor.getModule();
        Module agentModule = BridgeInstaller.class.getModule();
        if (!httpModule.isOpen(PACKAGE, agentModule)) {
            inst.redefineModule(httpModule, Set.of(), Map.of(), Map.of(PACKAGE, Set.of(agentModule)), Set.of(), Map.of());
            MetricsAgentLog.info("httpclient: opened " + PACKAGE + " (module java.net.http) to " + agentModule
                    + (agentModule.isNamed() ? "" : " (the system class loader's unnamed module: the agent and every class-path class)")
                    + " to define the request bridge");
        }
        MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(anchor, MethodHandles.lookup());
        Class<?> bridge;
        try {
            bridge = Class.forName(BRIDGE_NAME, false, httpLoader);   // defined by an earlier agent instance
        } catch (ClassNotFoundException notYet) {
            bridge = lookup.defineClass(remap(classFile(HttpClientBridge.class)));
        }
        connect(bridge, onStart, onHeaders, onReturn, onSendStart, onSendEnd);
        installed = bridge;
        return bridge;
    }

    /** Checks the bridge's shape first, so a bridge this version cannot use gets no callback at all. */
    static void connect(Class<?> bridge, Function<java.net.http.HttpRequest, Object> onStart, Consumer<Object> onHeaders,
                        BiConsumer<Object, Object> onReturn, Function<java.net.http.HttpRequest, Object> onSendStart,
                        BiConsumer<Object, Object> onSendEnd) throws ReflectiveOperationException {
        requireCurrentShape(bridge);
        // Reflection is allowed: the package is open to the agent's module. The ends before the
        // starts, so no request is started whose end has nowhere to go.
        bridge.getField("onSendEnd").set(null, onSendEnd);
        bridge.getField("onReturn").set(null, onReturn);
        bridge.getField("onHeaders").set(null, onHeaders);
        bridge.getField("onSendStart").set(null, onSendStart);
        bridge.getField("onStart").set(null, onStart);
    }

    /** Clears the callbacks (the bridge then tracks nothing); the next install sets them again. */
    static synchronized void uninstall() throws ReflectiveOperationException {
        Class<?> bridge = installed;
        installed = null;
        if (bridge != null) {
            bridge.getField("onStart").set(null, null);
            bridge.getField("onSendStart").set(null, null);
            bridge.getField("onHeaders").set(null, null);
            bridge.getField("onReturn").set(null, null);
            bridge.getField("onSendEnd").set(null, null);
        }
    }

    /**
     * A bridge defined by an earlier agent version (attach, detach, attach a newer jar) may lack
     * what this version's advice calls; woven code calling a missing method would throw inside
     * the JDK's client, so such a bridge is refused and the instrumentation is not applied.
     */
    static void requireCurrentShape(Class<?> bridge) {
        for (java.lang.reflect.Method m : HttpClientBridge.class.getDeclaredMethods()) {
            if (java.lang.reflect.Modifier.isPublic(m.getModifiers()) && java.lang.reflect.Modifier.isStatic(m.getModifiers())) {
                try {
                    bridge.getMethod(m.getName(), m.getParameterTypes());
                } catch (NoSuchMethodException e) {
                    throw olderBridge("method " + m.getName());
                }
            }
        }
        for (java.lang.reflect.Field f : HttpClientBridge.class.getFields()) {
            try {
                bridge.getField(f.getName());
            } catch (NoSuchFieldException e) {
                throw olderBridge("field " + f.getName());
            }
        }
    }

    private static IllegalStateException olderBridge(String missing) {
        return new IllegalStateException(BRIDGE_NAME + " was defined in java.net.http by an earlier agent version and has no "
                + missing + "; the HTTP client instrumentation needs a JVM restart to use this version");
    }

    /** Rewrites every reference to {@link HttpClientBridge} into one to {@link #BRIDGE_NAME}. */
    static byte[] remap(byte[] classFile) {
        ClassReader reader = new ClassReader(classFile);
        ClassWriter writer = new ClassWriter(0);
        reader.accept(new ClassRemapper(writer, new SimpleRemapper(BRIDGE_SOURCE_INTERNAL, BRIDGE_INTERNAL)), 0);
        return writer.toByteArray();
    }

    static byte[] classFile(Class<?> type) throws IOException {
        String resource = type.getName().replace('.', '/') + ".class";
        ClassLoader loader = type.getClassLoader();
        try (InputStream in = loader == null ? ClassLoader.getSystemResourceAsStream(resource) : loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("class file not found: " + resource);
            }
            return in.readAllBytes();
        }
    }

}
