package dev.yawlmetrics.bench.fleet;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * Where our agent's endpoint is, in a forked benchmark JVM: the harness passes the port it gave
 * the agent as {@code -Dbench.yawl.port}. Uses no agent API (the agent's internals may change).
 */
public final class AgentPort {
    public static final String PROPERTY = "bench.yawl.port";

    private AgentPort() {}

    /** The port our agent was given, or 0 when this JVM runs without our agent. */
    public static int configured() {
        return Integer.getInteger(PROPERTY, 0);
    }

    /** Waits until something accepts connections on the configured port; 0 without our agent. */
    public static int awaitBound(long timeoutMillis) throws InterruptedException {
        int port = configured();
        if (port == 0) {
            return 0;
        }
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return port;
            } catch (IOException notYet) {
                Thread.sleep(5);
            }
        }
        throw new IllegalStateException("yawl-metrics-agent was given port " + port + " but nothing listens there");
    }
}
