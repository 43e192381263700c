package dev.yawlmetrics.bench.harness;

import java.lang.instrument.Instrumentation;

/**
 * A {@code -javaagent} that does nothing (the benchmarks jar names it as its Premain-Class): given
 * to the plain fork with {@code -Dbench.plain.javaagent=empty}, it makes the only difference between
 * the two forks the agent's own work, not the JVM's cost of having a JVMTI agent at all (HotSpot,
 * for instance, then reports every virtual-thread mount and unmount).
 */
public final class EmptyAgent {
    private EmptyAgent() {}

    public static void premain(String args, Instrumentation inst) {
        // nothing: the JVMTI environment that -javaagent creates is the point
    }

    /** The jar this class was loaded from (the benchmarks jar), for {@code -javaagent:}. */
    public static String jar() {
        try {
            return java.nio.file.Paths.get(EmptyAgent.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (Exception e) {
            throw new IllegalStateException("cannot locate the benchmarks jar for the empty agent", e);
        }
    }
}
