package dev.yawlmetrics.testsupport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free loopback TCP ports for the servers tests and fixtures start.
 *
 * <p>Why not simply {@code new ServerSocket(0)}: that hands out a port from the kernel's
 * ephemeral range, and between closing the probe and the server binding it, any outgoing
 * connection on the machine (a scrape, an etcd client, the fixtures' own HTTP calls) may take
 * the same port as its local port; the kernel may also give the same port to two probes in a
 * row. Both made CI fail with "Address already in use". So ports come from below the ephemeral
 * range (the kernel never assigns those on its own), start at a random offset so that parallel
 * JVMs rarely meet, and are never handed out twice by one JVM.
 */
public final class FreePorts {
    private static final int LOWEST = 20_000;
    private static final Set<Integer> HANDED_OUT = new HashSet<>();
    private static final int[] RANGE = chooseRange();

    private FreePorts() {}

    public static synchronized int next() {
        int low = RANGE[0];
        int size = RANGE[1] - RANGE[0] + 1;
        int start = ThreadLocalRandom.current().nextInt(size);
        for (int i = 0; i < size; i++) {
            int port = low + (start + i) % size;
            if (!HANDED_OUT.contains(port) && bindable(port)) {
                HANDED_OUT.add(port);
                return port;
            }
        }
        throw new IllegalStateException("no free loopback port in " + RANGE[0] + "-" + RANGE[1]);
    }

    /** n different free ports. */
    public static int[] distinct(int n) {
        int[] ports = new int[n];
        for (int i = 0; i < n; i++) {
            ports[i] = next();
        }
        return ports;
    }

    private static boolean bindable(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** [low, high] below the kernel's ephemeral range, or above it when that leaves more room. */
    private static int[] chooseRange() {
        int ephemeralLow = 32_768;
        int ephemeralHigh = 60_999;
        try {
            String[] r = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).trim().split("\\s+");
            ephemeralLow = Integer.parseInt(r[0]);
            ephemeralHigh = Integer.parseInt(r[1]);
        } catch (IOException | RuntimeException notLinux) {
            // keep Linux's default range
        }
        int below = ephemeralLow - 1 - LOWEST;
        int above = 65_535 - (ephemeralHigh + 1);
        if (below >= 1_000 || below >= above) {
            return new int[] {LOWEST, Math.max(LOWEST, ephemeralLow - 1)};
        }
        return new int[] {ephemeralHigh + 1, 65_535};
    }
}
