package dev.yawlmetrics.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small in-process stand-in for etcd's v3 JSON gateway, so the demo needs nothing installed:
 * {@code /v3/kv/put}, {@code /v3/kv/range}, {@code /v3/kv/deleterange}, {@code /v3/lease/grant},
 * {@code /health}. It keeps keys in memory and, unlike etcd 3.4, does not enforce leases (it is a
 * stand-in for the happy path; the real etcd is used when installed). {@link #stop()} and
 * {@link #start()} simulate an outage: connections are refused while it is down, as with a dead
 * etcd.
 */
public final class EmbeddedEtcd {
    private static final Pattern KEY = Pattern.compile("\"key\"\\s*:\\s*\"([^\"]*)\"");
    private static final Pattern VALUE = Pattern.compile("\"value\"\\s*:\\s*\"([^\"]*)\"");

    private final Map<String, String> kv = new ConcurrentHashMap<>();
    private volatile HttpServer server;
    private int port;

    public synchronized void start() throws IOException {
        if (server != null) {
            return;
        }
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 512);
        s.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        s.createContext("/", this::handle);
        s.start();
        port = s.getAddress().getPort();
        server = s;
    }

    public synchronized void stop() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public int keys() {
        return kv.size();
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String answer;
        int status = 200;
        switch (path) {
            case "/health" -> answer = "{\"health\":\"true\"}";
            case "/v3/kv/put" -> {
                String key = first(KEY, body);
                if (key == null) {
                    status = 400;
                    answer = "{\"error\":\"key is not provided\",\"code\":3}";
                } else {
                    kv.put(key, first(VALUE, body) == null ? "" : first(VALUE, body));
                    answer = header();
                }
            }
            case "/v3/kv/deleterange" -> {
                String key = first(KEY, body);
                int deleted = key != null && kv.remove(key) != null ? 1 : 0;
                answer = "{" + header().substring(1, header().length() - 1) + ",\"deleted\":\"" + deleted + "\"}";
            }
            case "/v3/kv/range" -> {
                StringBuilder sb = new StringBuilder("{\"kvs\":[");
                int n = 0;
                for (Map.Entry<String, String> e : kv.entrySet()) {
                    if (n++ > 0) {
                        sb.append(',');
                    }
                    sb.append("{\"key\":\"").append(e.getKey()).append("\",\"value\":\"").append(e.getValue()).append("\"}");
                    if (n >= 1000) {
                        break;
                    }
                }
                answer = sb.append("],\"count\":\"").append(kv.size()).append("\"}").toString();
            }
            case "/v3/lease/grant" -> answer = "{\"ID\":\"1\",\"TTL\":\"60\"}";
            default -> {
                status = 404;
                answer = "{\"error\":\"Not Found\",\"code\":5}";
            }
        }
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String header() {
        return "{\"header\":{\"cluster_id\":\"1\",\"member_id\":\"1\",\"revision\":\"1\",\"raft_term\":\"1\"}}";
    }

    private static String first(Pattern p, String body) {
        Matcher m = p.matcher(body);
        return m.find() ? m.group(1) : null;
    }
}
