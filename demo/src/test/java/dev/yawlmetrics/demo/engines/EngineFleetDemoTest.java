package dev.yawlmetrics.demo.engines;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EngineFleetDemoTest {
    @Test
    void sharesAreUnequalAndAddUpToTheFleet() {
        assertArrayEquals(new int[] {100, 200, 300}, EngineFleet.shares(600, 3));
        int[] odd = EngineFleet.shares(1001, 4);
        assertEquals(1001, Arrays.stream(odd).sum());
        assertEquals(4, Arrays.stream(odd).distinct().count());
        assertArrayEquals(new int[] {7}, EngineFleet.shares(7, 1));
    }

    @Test
    void settingsRefuseFleetsTooSmallToShare() {
        assertThrows(IllegalArgumentException.class, () -> settings(3, 5));
        assertThrows(IllegalArgumentException.class, () -> settings(21, 10_000));
        assertThrows(IllegalArgumentException.class, () -> settings(0, 10_000));
        assertEquals(6, settings(3, 6).agents());
    }

    private static EngineFleet.Settings settings(int engines, int agents) {
        return new EngineFleet.Settings(engines, agents, 1, 1000, 1, "t", "embedded", false, java.util.List.of(),
                java.nio.file.Path.of("agent.jar"), "", java.util.List.of());
    }

    @Test
    void enginesFlagDispatchesAndTakesTheSingleEngineFlags() {
        assertTrue(EngineFleetDemo.wanted(new String[] {"--agents=10", "--engines=2"}));
        assertFalse(EngineFleetDemo.wanted(new String[] {"--agents=10"}));
        EngineFleetDemo.Options o = EngineFleetDemo.parse(new String[] {"--engines=4", "--agents=1000", "--duration=2m",
                "--scenario=etcd-outage", "--etcd=embedded", "--prometheus=off", "--check"});
        assertEquals(new EngineFleetDemo.Options(4, 1000, 120, true, "embedded", false, true), o);
    }

    @Test
    void badFlagsWithEnginesAreOneClearMessage() {
        assertEquals("--engines must be between 1 and 20, not 0", message("--engines=0"));
        assertEquals("--engines must be a whole number, not 'x'", message("--engines=x"));
        assertTrue(message("--engines=3", "--port=9464").contains("--port does not apply"));
        assertTrue(message("--engines=3", "--scenario=drought").contains("steady or etcd-outage"));
        assertTrue(message("--engines=1", "--scenario=etcd-outage").contains("at least 2 engines"));
        assertTrue(message("--engines=3", "--agents=5").contains("at least 6"));
        assertTrue(message("--engines=3", "--bogus=1").contains("unknown flag --bogus"));
        assertTrue(message("--engines=3", "--keep").contains("single-engine demo"));
        assertTrue(message("--engines=3", "--report=x.html").contains("single-engine demo"));
        assertTrue(message("--engines=3", "--expect-alerts=HeartbeatFailingOnPod").contains("single-engine demo"));
        assertTrue(message("--engines=3", "--scenario=saturation").contains("steady or etcd-outage"));
    }

    private static String message(String... args) {
        return assertThrows(IllegalArgumentException.class, () -> EngineFleetDemo.parse(args)).getMessage();
    }
}
