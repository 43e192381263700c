package dev.yawlmetrics.testsupport;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FreePortsTest {

    @Test
    void portsAreDistinctBindableAndOutsideTheKernelsEphemeralRange() throws Exception {
        String[] range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).trim().split("\\s+");
        int low = Integer.parseInt(range[0]);
        int high = Integer.parseInt(range[1]);
        Set<Integer> seen = new HashSet<>();
        for (int port : FreePorts.distinct(200)) {
            assertTrue(seen.add(port), "handed out twice: " + port);
            assertFalse(port >= low && port <= high, port + " is in the ephemeral range " + low + "-" + high);
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                assertEquals(port, s.getLocalPort());
            }
        }
    }

    @Test
    void aPortSomeoneHoldsIsNeverHandedOut() throws Exception {
        int held = FreePorts.next();
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), held));
            for (int i = 0; i < 500; i++) {
                assertTrue(FreePorts.next() != held);
            }
        }
    }
}
