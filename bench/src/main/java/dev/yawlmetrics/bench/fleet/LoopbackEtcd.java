package dev.yawlmetrics.bench.fleet;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.LongAdder;

/**
 * A minimal etcd stand-in on loopback that answers every v3 JSON call with 200 "{}": enough for
 * EtcdAgentRegistryClient's puts, deletes and ranges. (EtcdRegistryHost in engine-fixtures
 * has a similar one, package-private there.)
 */
public final class LoopbackEtcd implements AutoCloseable {
    private final HttpServer server;
    private final LongAdder puts = new LongAdder();

    public LoopbackEtcd(ExecutorService handlers) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            if (exchange.getRequestURI().getPath().endsWith("/kv/put")) {
                puts.increment();
            }
            byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.setExecutor(handlers);
        server.start();
    }

    /** Puts answered so far: registrations plus renewals, counted without any agent. */
    public long puts() {
        return puts.sum();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
