package dev.yawlmetrics.agent.endpoint;

import dev.yawlmetrics.agent.metrics.EndpointStats;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * Every way a connection can end closes its socket exactly through the one finally block and
 * gives its slot back: streams that fail on read, on write, on close, a handler that throws, a
 * TLS wrap that fails.
 */
class ConnectionCloseTest {
    private static final byte[] GET = "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);

    private EndpointServer server(EndpointServer.Handler handler, ConnectionPolicy policy) {
        return new EndpointServer(mock(ServerSocket.class), handler, policy, new EndpointServer.Limits(), null, 1000);
    }

    private static EndpointServer.Handler ok() {
        return (request, policy) -> HttpResponse.text(200, "ok\n");
    }

    /** Runs one connection and checks the socket was closed and the slot released. */
    private static void runAndExpectClosed(EndpointServer server, Socket socket) throws IOException {
        int slots = server.freeSlots();
        long open = EndpointStats.openConnections();
        new Connection(server, socket).run(); // must not throw, whatever the socket does
        verify(socket, atLeastOnce()).close();
        assertEquals(slots + 1, server.freeSlots(), "slot released exactly once");
        assertEquals(open - 1, EndpointStats.openConnections(), "open-connections gauge decremented exactly once");
        assertEquals(0, server.openConnections());
    }

    @Test
    void readFailureCloses() throws Exception {
        Socket socket = mock(Socket.class);
        InputStream in = mock(InputStream.class);
        when(in.read(any(byte[].class), anyInt(), anyInt())).thenThrow(new IOException("connection reset"));
        when(socket.getInputStream()).thenReturn(in);
        when(socket.getOutputStream()).thenReturn(new ByteArrayOutputStream());
        runAndExpectClosed(server(ok(), ConnectionPolicy.PLAIN), socket);
    }

    @Test
    void writeFailureCloses() throws Exception {
        Socket socket = mock(Socket.class);
        OutputStream out = mock(OutputStream.class);
        doThrow(new IOException("broken pipe")).when(out).write(any(byte[].class));
        when(socket.getInputStream()).thenReturn(new ByteArrayInputStream(GET));
        when(socket.getOutputStream()).thenReturn(out);
        runAndExpectClosed(server(ok(), ConnectionPolicy.PLAIN), socket);
    }

    @Test
    void closeFailureIsSwallowedAndTheSlotStillReleased() throws Exception {
        Socket socket = mock(Socket.class);
        when(socket.getInputStream()).thenReturn(new ByteArrayInputStream(GET));
        when(socket.getOutputStream()).thenReturn(new ByteArrayOutputStream());
        doThrow(new IOException("close failed")).when(socket).close();
        runAndExpectClosed(server(ok(), ConnectionPolicy.PLAIN), socket);
    }

    @Test
    void handlerFailureAnswers500AndCloses() throws Exception {
        Socket socket = mock(Socket.class);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        when(socket.getInputStream()).thenReturn(new ByteArrayInputStream(GET));
        when(socket.getOutputStream()).thenReturn(out);
        runAndExpectClosed(server((r, p) -> { throw new IllegalStateException("boom"); }, ConnectionPolicy.PLAIN), socket);
        String answer = out.toString(StandardCharsets.ISO_8859_1);
        assertTrue(answer.startsWith("HTTP/1.1 500 "), answer);
        assertTrue(answer.contains("Connection: close"), answer);
    }

    @Test
    void streamThatCannotBeOpenedCloses() throws Exception {
        Socket socket = mock(Socket.class);
        when(socket.getInputStream()).thenThrow(new IOException("socket closed"));
        runAndExpectClosed(server(ok(), ConnectionPolicy.PLAIN), socket);
    }

    @Test
    void failedTlsWrapClosesTheRawSocket() throws Exception {
        Socket socket = mock(Socket.class);
        ConnectionPolicy failing = tlsPolicy(accepted -> {
            throw new javax.net.ssl.SSLHandshakeException("no cipher suites in common");
        });
        runAndExpectClosed(server(ok(), failing), socket);
    }

    @Test
    void wrappedSocketAndRawSocketAreBothClosed() throws Exception {
        Socket raw = mock(Socket.class);
        Socket wrapped = mock(Socket.class);
        when(wrapped.getInputStream()).thenReturn(new ByteArrayInputStream(GET));
        OutputStream out = mock(OutputStream.class);
        doThrow(new IOException("broken pipe")).when(out).write(any(byte[].class));
        when(wrapped.getOutputStream()).thenReturn(out);
        ConnectionPolicy wrapping = tlsPolicy(accepted -> wrapped);
        runAndExpectClosed(server(ok(), wrapping), raw);
        verify(wrapped, atLeastOnce()).close();
    }

    @Test
    void clientClosingMidHeadCloses() throws Exception {
        Socket socket = mock(Socket.class);
        when(socket.getInputStream()).thenReturn(new ByteArrayInputStream("GET /metr".getBytes(StandardCharsets.ISO_8859_1)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        when(socket.getOutputStream()).thenReturn(out);
        runAndExpectClosed(server(ok(), ConnectionPolicy.PLAIN), socket);
        assertEquals(0, out.size(), "nothing to answer a client that left");
    }

    interface Wrap {
        Socket wrap(Socket accepted) throws IOException;
    }

    /** A TLS policy that lets every request in and wraps accepted sockets with the given function. */
    private static ConnectionPolicy tlsPolicy(Wrap wrap) {
        return new ConnectionPolicy() {
            @Override
            public Socket wrap(Socket accepted) throws IOException {
                return wrap.wrap(accepted);
            }

            @Override
            public boolean tls() {
                return true;
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
}
