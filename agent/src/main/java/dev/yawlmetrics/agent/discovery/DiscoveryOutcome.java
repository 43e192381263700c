package dev.yawlmetrics.agent.discovery;

/** The bounded {@code outcome} label of yawl_agent_discovery_attempts_total. */
enum DiscoveryOutcome {
    SUCCESS, NO_WORK, TIMEOUT, ERROR;

    final String label = name().toLowerCase(java.util.Locale.ROOT);

    static DiscoveryOutcome of(boolean processed, Throwable thrown) {
        if (thrown == null) {
            return processed ? SUCCESS : NO_WORK;
        }
        return isTimeout(thrown) ? TIMEOUT : ERROR;
    }

    /**
     * By exception type, along the cause chain: java.net.SocketTimeoutException,
     * java.net.http.HttpTimeoutException (and its connect variant), java.util.concurrent.TimeoutException,
     * or any exception class whose simple name ends in "TimeoutException".
     */
    static boolean isTimeout(Throwable thrown) {
        Throwable t = thrown;
        for (int depth = 0; t != null && depth < 5; depth++, t = t.getCause()) {
            for (Class<?> c = t.getClass(); c != null && c != Throwable.class; c = c.getSuperclass()) {
                if (c.getSimpleName().endsWith("TimeoutException")) {
                    return true;
                }
            }
        }
        return false;
    }
}
