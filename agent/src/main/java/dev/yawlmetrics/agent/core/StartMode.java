package dev.yawlmetrics.agent.core;

/**
 * Whether the running agent was attached to a running JVM (agentmain) rather than started with
 * the JVM (premain). Instrumentations read it while rewriting a class: a late attach finds work
 * already under way (heartbeats scheduled before it came) and may not add fields or methods.
 */
public final class StartMode {
    private static volatile boolean late;

    private StartMode() {}

    public static boolean isLate() {
        return late;
    }

    public static void set(boolean lateAttach) {
        late = lateAttach;
    }
}
