package dev.yawlmetrics.agent.httpclient;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BridgeInstallerTest {
    private static final String OUR_NAME = HttpClientBridge.class.getName().replace('.', '/');
    private static final String JDK_NAME = BridgeInstaller.BRIDGE_NAME.replace('.', '/');

    @Test
    void theBridgeIsRenamedIntoTheJdkPackage() throws Exception {
        String remapped = new String(BridgeInstaller.remap(BridgeInstaller.classFile(HttpClientBridge.class)), StandardCharsets.ISO_8859_1);
        assertTrue(remapped.contains(JDK_NAME));
        assertFalse(remapped.contains(OUR_NAME), "still names the agent's bridge class");
    }

    @Test
    void bridgeUsesOnlyJdkTypes() throws Exception {
        String bytes = new String(BridgeInstaller.classFile(HttpClientBridge.class), StandardCharsets.ISO_8859_1);
        // Any other agent class would be invisible to java.net.http's loader.
        String withoutSelf = bytes.replace(OUR_NAME, "");
        assertFalse(withoutSelf.contains("dev/yawlmetrics"), "the bridge references an agent class");
    }

    /**
     * What an earlier agent version might have left in java.net.http: every callback field this
     * version sets, but not the methods its advice calls for a synchronous send.
     */
    public static final class EarlierBridge {
        public static volatile java.util.function.Function<java.net.http.HttpRequest, Object> onStart;
        public static volatile java.util.function.Consumer<Object> onHeaders;
        public static volatile java.util.function.BiConsumer<Object, Object> onReturn;
        public static volatile java.util.function.BiConsumer<Object, Object> onSendEnd;

        public static Object start(java.net.http.HttpRequest request) { return null; }

        @SuppressWarnings("rawtypes")
        public static java.net.http.HttpResponse.BodyHandler wrap(java.net.http.HttpResponse.BodyHandler h, Object token) { return h; }

        public static void end(Object token, Object futureOrThrowable) {}
    }

    /**
     * The bridge of the version before synchronous sends got their own start (and kept the caller's
     * body handler): everything but {@code startSend} and {@code onSendStart}.
     */
    public static final class PreviousBridge {
        public static volatile java.util.function.Function<java.net.http.HttpRequest, Object> onStart;
        public static volatile java.util.function.Consumer<Object> onHeaders;
        public static volatile java.util.function.BiConsumer<Object, Object> onReturn;
        public static volatile java.util.function.BiConsumer<Object, Object> onSendEnd;

        public static Object start(java.net.http.HttpRequest request) { return null; }

        public static Object startAsync(java.net.http.HttpRequest request, java.util.concurrent.Executor executor) { return null; }

        public static void endSend(Object token, Object responseOrThrowable) {}

        @SuppressWarnings("rawtypes")
        public static java.net.http.HttpResponse.BodyHandler wrap(java.net.http.HttpResponse.BodyHandler h, Object token) { return h; }

        public static void end(Object token, Object futureOrThrowable) {}
    }

    /** Its advice would call startSend at every synchronous send: refused, with no callback set. */
    @Test
    void theBridgeOfThePreviousVersionLacksStartSendAndIsRefused() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> BridgeInstaller.connect(PreviousBridge.class, r -> null, t -> { }, (t, v) -> { }, r -> null, (t, v) -> { }));
        assertTrue(e.getMessage().contains("method startSend"), e.getMessage());
        assertNull(PreviousBridge.onSendEnd, "the refused bridge got a callback");
        assertNull(PreviousBridge.onStart, "the refused bridge got a callback");
    }

    /**
     * Advice that calls a method the defined bridge lacks would throw inside the JDK's client: such
     * a bridge is refused before it gets any callback (connecting it would otherwise succeed, its
     * fields being all there).
     */
    @Test
    void aBridgeOfAnEarlierAgentVersionIsRefusedBeforeItIsConnected() throws Exception {
        java.util.function.Function<java.net.http.HttpRequest, Object> start = r -> null;
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> BridgeInstaller.connect(EarlierBridge.class, start, t -> { }, (t, v) -> { }, r -> null, (t, v) -> { }));
        assertTrue(e.getMessage().contains("earlier agent version") && e.getMessage().contains("JVM restart"), e.getMessage());
        assertTrue(e.getMessage().contains("startAsync") || e.getMessage().contains("endSend")
                || e.getMessage().contains("startSend"), e.getMessage());
        assertNull(EarlierBridge.onStart, "the refused bridge got a callback");
        assertNull(EarlierBridge.onSendEnd, "the refused bridge got a callback");

        java.util.function.Function<java.net.http.HttpRequest, Object> startSend = r -> null;
        try {
            BridgeInstaller.connect(HttpClientBridge.class, start, t -> { }, (t, v) -> { }, startSend, (t, v) -> { });
            assertSame(start, HttpClientBridge.onStart);
            assertSame(startSend, HttpClientBridge.onSendStart);
        } finally {
            HttpClientBridge.onStart = null;
            HttpClientBridge.onSendStart = null;
            HttpClientBridge.onHeaders = null;
            HttpClientBridge.onReturn = null;
            HttpClientBridge.onSendEnd = null;
        }
    }
}
