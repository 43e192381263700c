package dev.yawlmetrics.bench.fleet;

/**
 * One instrumented engine subsystem, as the fleet-sized hosts drive it: the startup app loads and
 * touches it, the scrape benchmark fills it with n agents, the memory benchmark weighs it.
 *
 * <p>Adding a target (heartbeat renewals, GenericPartyAgent lifecycle/discovery, HttpClient) is one
 * class implementing this interface over its fixture plus one line in {@link Populations#ALL}.
 */
public interface Population {
    /** Short name, the instrumentation's id (e.g. "marketplace"). */
    String name();

    /** The engine classes this population loads; the startup app loads them all. */
    String[] instrumentedClasses();

    /** Creates n agents (listings, registrations, agent instances) and keeps them reachable. */
    void populate(int n) throws Exception;

    /**
     * Calls every instrumented operation at least once, a fixed number of times independent of
     * the population size, so every labelled series exists and the series count is size-independent.
     */
    void exercise() throws Exception;

    /** Counters the fleet-scale step reads with and without an agent ("name=value ..."), or "". */
    default String stats() {
        return "";
    }

    /** Releases what populate created (threads, servers); no-op by default. */
    default void close() throws Exception {}
}
