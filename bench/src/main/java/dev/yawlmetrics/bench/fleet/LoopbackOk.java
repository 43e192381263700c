package dev.yawlmetrics.bench.fleet;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The least noisy HTTP/1.1 server for a per-request benchmark: a raw loopback {@link ServerSocket}
 * that answers every request head with the same fixed {@code 200 "ok"} (keep-alive, written as one
 * segment, TCP_NODELAY), one blocking platform daemon thread per connection. No parsing beyond
 * finding the end of the head, no dispatcher/executor hand-off as in {@code com.sun.net.httpserver}.
 * Only for requests without a body (GET, HEAD).
 */
public final class LoopbackOk implements AutoCloseable {
    static final byte[] RESPONSE = ("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nok")
            .getBytes(StandardCharsets.US_ASCII);

    private final ServerSocket server;
    private final List<Socket> connections = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    public LoopbackOk() throws IOException {
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        daemon(this::acceptLoop, "loopback-ok-accept").start();
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getLocalPort() + path);
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket s = server.accept();
                s.setTcpNoDelay(true);
                connections.add(s);
                daemon(() -> serve(s), "loopback-ok-conn").start();
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("[loopback-ok] accept failed: " + e);
                }
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s; InputStream in = new BufferedInputStream(s.getInputStream()); OutputStream out = s.getOutputStream()) {
            int last4 = 0;
            int b;
            while ((b = in.read()) >= 0) {
                last4 = (last4 << 8) | b;
                if (last4 == 0x0D0A0D0A) {   // "\r\n\r\n": end of a request head
                    out.write(RESPONSE);
                    out.flush();
                    last4 = 0;
                }
            }
        } catch (IOException e) {
            // client closed the connection
        } finally {
            connections.remove(s);
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        for (Socket s : connections) {
            s.close();
        }
    }
}
