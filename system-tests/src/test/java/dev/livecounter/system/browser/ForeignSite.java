package dev.livecounter.system.browser;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * Somebody else's web site on its own origin ({@code http://127.0.0.1:<port>}): one page at {@code /}, made from the
 * raw query by {@code page} (null: 404). What {@link EmbeddingSite} and {@link FramingSite} serve differs; the
 * server does not.
 */
final class ForeignSite implements AutoCloseable {

    private final HttpServer server;
    private final Function<String, String> page;

    private ForeignSite(HttpServer server, Function<String, String> page) {
        this.server = server;
        this.page = page;
    }

    static ForeignSite start(int port, Function<String, String> page) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
            ForeignSite site = new ForeignSite(server, page);
            server.createContext("/", site::serve);
            server.start();
            return site;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code http://127.0.0.1:<port>}. */
    String origin() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String query = exchange.getRequestURI().getRawQuery();
            String html = exchange.getRequestURI().getPath().equals("/") ? page.apply(query == null ? "" : query) : null;
            if (html == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            byte[] body = html.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
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
