package dev.yawlmetrics.agent.endpoint.security;

import dev.yawlmetrics.agent.endpoint.ConnectionPolicy;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.Socket;
import java.util.List;

/** One loaded version of the web config file. */
final class WebPolicy implements ConnectionPolicy {
    private final SSLContext ssl;
    private final SSLParameters params;
    private final BasicAuth auth;
    private final List<String[]> headers;

    WebPolicy(SSLContext ssl, SSLParameters params, BasicAuth auth, List<String[]> headers) {
        this.ssl = ssl;
        this.params = params;
        this.auth = auth;
        this.headers = List.copyOf(headers);
    }

    @Override
    public Socket wrap(Socket accepted) throws IOException {
        if (ssl == null) {
            return accepted;
        }
        SSLSocket s = (SSLSocket) ssl.getSocketFactory().createSocket(accepted,
                accepted.getInetAddress().getHostAddress(), accepted.getPort(), true);
        s.setUseClientMode(false);
        s.setSSLParameters(params);
        // Here, on the connection's thread and under its head deadline, not on the acceptor.
        s.startHandshake();
        return s;
    }

    @Override
    public boolean tls() {
        return ssl != null;
    }

    @Override
    public Auth authorize(String authorization) {
        return auth == null ? Auth.ALLOWED : auth.check(authorization);
    }

    @Override
    public List<String[]> headers() {
        return headers;
    }
}
