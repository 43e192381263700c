package dev.yawlmetrics.agent.httpclient;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertFalse;
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
}
