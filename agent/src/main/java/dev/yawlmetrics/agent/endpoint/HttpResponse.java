package dev.yawlmetrics.agent.endpoint;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** One answer: status, headers, body; written in one buffered write with an exact Content-Length. */
final class HttpResponse {
    final int status;
    final byte[] body;
    /** HEAD: headers (with the length a GET would get) and no body. */
    boolean headOnly;
    /** The connection closes after this answer whatever the client asked. */
    boolean close;
    private final List<String[]> headers = new ArrayList<>(6);

    HttpResponse(int status, String contentType, byte[] body) {
        this.status = status;
        this.body = body;
        header("Content-Type", contentType);
    }

    static HttpResponse text(int status, String text) {
        return new HttpResponse(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    HttpResponse header(String name, String value) {
        headers.add(new String[] {name, value});
        return this;
    }

    boolean hasHeader(String name) {
        for (String[] h : headers) {
            if (h[0].equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    /** Writes status line, headers and body, then flushes. */
    void writeTo(OutputStream out, boolean keepAlive, List<String[]> extraHeaders) throws IOException {
        StringBuilder sb = new StringBuilder(256);
        sb.append("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
        for (String[] h : headers) {
            sb.append(h[0]).append(": ").append(h[1]).append("\r\n");
        }
        for (String[] h : extraHeaders) {
            if (!hasHeader(h[0])) {
                sb.append(h[0]).append(": ").append(h[1]).append("\r\n");
            }
        }
        sb.append("Content-Length: ").append(body.length).append("\r\n");
        sb.append("Connection: ").append(keepAlive ? "keep-alive" : "close").append("\r\n\r\n");
        byte[] head = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
        if (headOnly || body.length == 0) {
            out.write(head);
        } else {
            // One buffer, one write: headers and body leave in the same segments, so no
            // Nagle/delayed-ACK stall even where TCP_NODELAY could not be set.
            byte[] all = new byte[head.length + body.length];
            System.arraycopy(head, 0, all, 0, head.length);
            System.arraycopy(body, 0, all, head.length, body.length);
            out.write(all);
        }
        out.flush();
    }

    static String reason(int status) {
        switch (status) {
            case 200: return "OK";
            case 400: return "Bad Request";
            case 401: return "Unauthorized";
            case 404: return "Not Found";
            case 405: return "Method Not Allowed";
            case 413: return "Content Too Large";
            case 414: return "URI Too Long";
            case 431: return "Request Header Fields Too Large";
            case 500: return "Internal Server Error";
            case 503: return "Service Unavailable";
            case 505: return "HTTP Version Not Supported";
            default: return "Status";
        }
    }
}
