package dev.yawlmetrics.agent.endpoint;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One request head as read from a connection: request line and headers, nothing else (the
 * endpoint takes no request bodies). {@link Reader} enforces the size limits; the deadline is
 * enforced from outside by closing the socket (see {@link EndpointServer}).
 */
final class HttpRequest {
    final String method;
    final String path;
    final boolean http11;
    private final List<String[]> headers;

    HttpRequest(String method, String path, boolean http11, List<String[]> headers) {
        this.method = method;
        this.path = path;
        this.http11 = http11;
        this.headers = headers;
    }

    /** First value of a header, case-insensitive; null when absent. */
    String header(String name) {
        for (String[] h : headers) {
            if (h[0].equalsIgnoreCase(name)) {
                return h[1];
            }
        }
        return null;
    }

    /** Whether the client asked to keep the connection (HTTP/1.1 default, HTTP/1.0 opt-in). */
    boolean wantsKeepAlive() {
        String c = header("Connection");
        String v = c == null ? "" : c.toLowerCase(Locale.ROOT);
        return http11 ? !v.contains("close") : v.contains("keep-alive");
    }

    /** A body the endpoint will not read: after answering, the connection must close. */
    boolean hasBody() {
        String length = header("Content-Length");
        return header("Transfer-Encoding") != null || (length != null && !length.trim().equals("0"));
    }

    /** A request the endpoint refuses to read further; carries the status to answer. */
    static final class BadRequest extends IOException {
        final int status;

        BadRequest(int status, String why) {
            super(why);
            this.status = status;
        }
    }

    /**
     * Reads request heads from one connection. Bytes after a head (a pipelined next request) stay
     * in the buffer for the next call.
     */
    static final class Reader {
        static final int MAX_HEAD_BYTES = 8 * 1024;
        static final int MAX_HEADERS = 64;
        static final int MAX_TARGET = 2048;

        private final InputStream in;
        private final byte[] buf = new byte[MAX_HEAD_BYTES];
        private int start;
        private int end;

        Reader(InputStream in) {
            this.in = in;
        }

        /** @return the next request, or null when the client closed before sending a byte of it */
        HttpRequest next() throws IOException {
            int scanFrom = start;
            while (true) {
                int headEnd = findHeadEnd(scanFrom);
                if (headEnd >= 0) {
                    HttpRequest r = parse(new String(buf, start, headEnd - start, StandardCharsets.ISO_8859_1));
                    start = headEnd;
                    return r;
                }
                scanFrom = Math.max(start, end - 3);
                if (start > 0) {
                    System.arraycopy(buf, start, buf, 0, end - start);
                    scanFrom -= start;
                    end -= start;
                    start = 0;
                }
                if (end == buf.length) {
                    throw new BadRequest(431, "request head larger than " + MAX_HEAD_BYTES + " bytes");
                }
                int n = in.read(buf, end, buf.length - end);
                if (n < 0) {
                    if (end == start) {
                        return null;
                    }
                    throw new java.io.EOFException("client closed in the middle of a request head");
                }
                end += n;
            }
        }

        /** Index just after the blank line ending the head, or -1. Bare LF line ends are accepted. */
        private int findHeadEnd(int from) {
            for (int i = Math.max(from, start); i < end; i++) {
                if (buf[i] != '\n') {
                    continue;
                }
                if (i + 1 < end && buf[i + 1] == '\n') {
                    return i + 2;
                }
                if (i + 2 < end && buf[i + 1] == '\r' && buf[i + 2] == '\n') {
                    return i + 3;
                }
            }
            return -1;
        }

        private static HttpRequest parse(String head) throws BadRequest {
            String[] lines = head.split("\r?\n");
            int first = 0;
            while (first < lines.length && lines[first].isEmpty()) {
                first++; // RFC 9112 2.2: ignore empty lines before the request line
            }
            if (first == lines.length) {
                throw new BadRequest(400, "empty request");
            }
            String[] parts = lines[first].split(" ", -1);
            if (parts.length != 3) {
                throw new BadRequest(400, "malformed request line");
            }
            String method = parts[0];
            if (method.isEmpty() || method.length() > 16 || !isToken(method)) {
                throw new BadRequest(400, "malformed method");
            }
            String version = parts[2];
            boolean http11;
            if (version.equals("HTTP/1.1")) {
                http11 = true;
            } else if (version.equals("HTTP/1.0")) {
                http11 = false;
            } else if (version.matches("HTTP/\\d\\.\\d")) {
                throw new BadRequest(505, "HTTP version not supported");
            } else {
                throw new BadRequest(400, "malformed HTTP version");
            }
            String target = parts[1];
            if (target.length() > MAX_TARGET) {
                throw new BadRequest(414, "request target longer than " + MAX_TARGET);
            }
            String path = pathOf(target);
            List<String[]> headers = new ArrayList<>();
            for (int i = first + 1; i < lines.length; i++) {
                String line = lines[i];
                if (line.isEmpty()) {
                    continue;
                }
                if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                    throw new BadRequest(400, "obsolete header line folding");
                }
                int colon = line.indexOf(':');
                if (colon <= 0 || !isToken(line.substring(0, colon))) {
                    throw new BadRequest(400, "malformed header line");
                }
                if (headers.size() == MAX_HEADERS) {
                    throw new BadRequest(431, "more than " + MAX_HEADERS + " headers");
                }
                headers.add(new String[] {line.substring(0, colon), line.substring(colon + 1).trim()});
            }
            return new HttpRequest(method, path, http11, headers);
        }

        /** The path of an origin-form or absolute-form target, without query; rejects the rest. */
        static String pathOf(String target) throws BadRequest {
            String t = target;
            String lower = t.toLowerCase(Locale.ROOT);
            if (lower.startsWith("http://") || lower.startsWith("https://")) {
                int slash = t.indexOf('/', lower.indexOf("//") + 2);
                t = slash < 0 ? "/" : t.substring(slash);
            }
            if (t.isEmpty() || t.charAt(0) != '/') {
                throw new BadRequest(400, "request target is not a path");
            }
            for (int i = 0; i < t.length(); i++) {
                char c = t.charAt(i);
                if (c <= 0x20 || c >= 0x7f) {
                    throw new BadRequest(400, "request target has a byte outside printable ASCII");
                }
            }
            int cut = t.length();
            int q = t.indexOf('?');
            int h = t.indexOf('#');
            if (q >= 0) {
                cut = q;
            }
            if (h >= 0 && h < cut) {
                cut = h;
            }
            return t.substring(0, cut);
        }

        private static boolean isToken(String s) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                        || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
                if (!ok) {
                    return false;
                }
            }
            return !s.isEmpty();
        }
    }
}
