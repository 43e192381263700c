import com.sun.net.httpserver.HttpServer;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Java 17 host, run by the java launcher in source-file mode (the fixtures are compiled for 25):
 * "send N" sends N sync and N async requests to a loopback server and answers "OK statuses".
 */
public class HttpClient17Host {
    public static void main(String[] args) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        server.createContext("/fast", ex -> {
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        server.start();
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/fast");
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        System.out.println("HOST READY");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        String line;
        while ((line = in.readLine()) != null) {
            String[] w = line.trim().split("\\s+");
            if (w[0].equals("exit")) {
                System.out.println("OK bye");
                break;
            }
            int n = Integer.parseInt(w[1]);
            StringBuilder sb = new StringBuilder("OK");
            for (int i = 0; i < n; i++) {
                HttpRequest r = HttpRequest.newBuilder(uri).build();
                sb.append(' ').append(client.send(r, HttpResponse.BodyHandlers.discarding()).statusCode());
                sb.append(' ').append(client.sendAsync(r, HttpResponse.BodyHandlers.discarding()).get().statusCode());
            }
            System.out.println(sb);
        }
        server.stop(0);
    }
}
