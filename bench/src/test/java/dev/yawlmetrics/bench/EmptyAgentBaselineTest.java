package dev.yawlmetrics.bench;

import dev.yawlmetrics.bench.harness.Variant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmptyAgentBaselineTest {
    @AfterEach
    void clear() {
        System.clearProperty("bench.plain.javaagent");
    }

    @Test
    void thePlainForkGetsTheEmptyAgentOnlyWhenAskedFor() {
        assertEquals(List.of(), Variant.PLAIN.jvmArgs(1234));
        System.setProperty("bench.plain.javaagent", "empty");
        List<String> args = Variant.PLAIN.jvmArgs(1234);
        assertEquals(1, args.size(), args.toString());
        assertTrue(args.get(0).startsWith("-javaagent:"), args.get(0));
    }

    @Test
    void anyOtherValueIsAnErrorNotASilentPlainFork() {
        System.setProperty("bench.plain.javaagent", "/some/agent.jar");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Variant.PLAIN.jvmArgs(1234));
        assertTrue(e.getMessage().contains("only accepted value is 'empty'"), e.getMessage());
    }
}
