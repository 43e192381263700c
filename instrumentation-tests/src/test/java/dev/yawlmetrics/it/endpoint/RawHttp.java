package dev.yawlmetrics.it.endpoint;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A client that writes exactly the bytes a test gives it, as a hostile or broken client would,
 * and reads what comes back until the server closes or the timeout passes.
 */
final class RawHttp {
    private RawHttp() {}

    /** What came back: the status (-1 when no status line arrived) and the raw text. */
    record Answer(int status, String text) {
        String header(String name) {
            for (String line : text.split("\r\n")) {
                if (line.isEmpty()) {
                    break;
                }
                int c = line.indexOf(':');
                if (c > 0 && line.substring(0, c).equalsIgnoreCase(name)) {
                    return line.substring(c + 1).trim();
                }
            }
            return null;
        }

        int count(String s) {
            int n = 0;
            for (int i = text.indexOf(s); i >= 0; i = text.indexOf(s, i + 1)) {
                n++;
            }
            return n;
        }
    }

    static Answer send(int port, String request, int timeoutMillis) {
        return send(port, request.getBytes(StandardCharsets.ISO_8859_1), timeoutMillis);
    }

    static Answer send(int port, byte[] request, int timeoutMillis) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), timeoutMillis);
            s.setSoTimeout(timeoutMillis);
            s.getOutputStream().write(request);
            s.getOutputStream().flush();
            String text = readUntilClosed(s.getInputStream(), System.nanoTime() + timeoutMillis * 1_000_000L);
            return new Answer(statusOf(text), text);
        } catch (IOException e) {
            return new Answer(-1, String.valueOf(e));
        }
    }

    static String readUntilClosed(InputStream in, long deadlineNanos) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            int n;
            while (System.nanoTime() < deadlineNanos && (n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
            }
        } catch (IOException timedOutOrReset) {
            // return what arrived
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    static int statusOf(String text) {
        if (text.startsWith("HTTP/1.") && text.length() >= 12) {
            try {
                return Integer.parseInt(text.substring(9, 12));
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        return -1;
    }

    static String get(String path, String... headers) {
        StringBuilder sb = new StringBuilder("GET ").append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        for (String h : headers) {
            sb.append(h).append("\r\n");
        }
        return sb.append("Connection: close\r\n\r\n").toString();
    }

    /** Open file descriptors of a process (Linux). */
    static int openFds(long pid) throws IOException {
        try (var s = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return (int) s.count();
        }
    }

    /** Threads of a process (Linux). */
    static int threads(long pid) throws IOException {
        try (var s = Files.list(Path.of("/proc/" + pid + "/task"))) {
            return (int) s.count();
        }
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
