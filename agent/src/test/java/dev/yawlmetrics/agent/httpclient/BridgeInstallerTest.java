package dev.yawlmetrics.agent.httpclient;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

    /** What an earlier agent version defined in java.net.http: the asynchronous path only. */
    public static final class EarlierBridge {
        public static volatile java.util.function.Function<java.net.http.HttpRequest, Object> onStart;
        public static volatile java.util.function.Consumer<Object> onHeaders;
        public static volatile java.util.function.BiConsumer<Object, Object> onReturn;

        public static Object start(java.net.http.HttpRequest request) { return null; }

        @SuppressWarnings("rawtypes")
        public static java.net.http.HttpResponse.BodyHandler wrap(java.net.http.HttpResponse.BodyHandler h, Object token) { return h; }

        public static void end(Object token, Object futureOrThrowable) {}
    }

    /** Advice that calls a method the defined bridge lacks would throw inside the JDK's client: refused up front. */
    @Test
    void aBridgeOfAnEarlierAgentVersionIsRefusedNotCalled() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> BridgeInstaller.requireCurrentShape(EarlierBridge.class));
        assertTrue(e.getMessage().contains("earlier agent version") && e.getMessage().contains("JVM restart"), e.getMessage());
        assertTrue(e.getMessage().contains("startAsync") || e.getMessage().contains("endSend") || e.getMessage().contains("onSendEnd"),
                e.getMessage());
        assertDoesNotThrow(() -> BridgeInstaller.requireCurrentShape(HttpClientBridge.class));
    }
}
