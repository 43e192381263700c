package dev.yawlmetrics.agent.endpoint;

import java.io.IOException;
import java.net.Socket;
import java.util.List;

/**
 * What the web configuration decides for each connection: TLS or not, who may read, which extra
 * headers every answer carries. Replaced as a whole when the web config file is reloaded, so a
 * connection sees one consistent version. The plain policy needs none of the TLS or bcrypt
 * classes, which therefore load only when a web config file is set.
 */
public interface ConnectionPolicy {
    /** The result of checking one Authorization header. */
    enum Auth { ALLOWED, DENIED, BUSY }

    /** Wraps a freshly accepted socket (TLS server side) or returns it as is. */
    Socket wrap(Socket accepted) throws IOException;

    boolean tls();

    /** @param authorization the request's Authorization header, or null */
    Auth authorize(String authorization);

    /** {name, value} pairs added to every answer (http_server_config.headers). */
    List<String[]> headers();

    ConnectionPolicy PLAIN = new ConnectionPolicy() {
        @Override
        public Socket wrap(Socket accepted) {
            return accepted;
        }

        @Override
        public boolean tls() {
            return false;
        }

        @Override
        public Auth authorize(String authorization) {
            return Auth.ALLOWED;
        }

        @Override
        public List<String[]> headers() {
            return List.of();
        }
    };
}
