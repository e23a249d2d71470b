package dev.livecounter.system.browser;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * Somebody else's web site that puts the counter's own page in an iframe ({@code GET /?src=<url>}), as a site
 * would to count visits on the counter's origin or to lay a transparent frame over a decoy button.
 */
final class FramingSite implements AutoCloseable {

    private final HttpServer server;

    private FramingSite(HttpServer server) {
        this.server = server;
    }

    static FramingSite start(int port) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
            server.createContext("/", FramingSite::serve);
            server.start();
            return new FramingSite(server);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** This site's page framing the counter page of the broadcaster on {@code broadcasterPort}. */
    String pageUrl(int broadcasterPort, String counter) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/?src=http://127.0.0.1:" + broadcasterPort
                + "/?counter=" + counter;
    }

    private static void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String query = exchange.getRequestURI().getRawQuery();
            if (query == null || !query.matches("src=http://127\\.0\\.0\\.1:\\d{1,5}/\\?counter=[A-Za-z0-9._-]{1,64}")) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            byte[] body = ("<!doctype html><html><head><meta charset=\"utf-8\"><title>A decoy</title></head><body>"
                            + "<button id=\"decoy\">Win a prize</button>"
                            + "<iframe id=\"framed\" src=\"" + query.substring(4) + "\" width=\"600\" height=\"400\""
                            + " style=\"opacity:0.01\"></iframe></body></html>")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
