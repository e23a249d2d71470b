package dev.livecounter.system.browser;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Somebody else's web site on its own origin ({@code http://127.0.0.1:<port>}) whose page embeds the widget with the
 * copy-paste snippet. {@code GET /?broadcaster=<port or host:port>&counter=<name>} serves the page with the snippet
 * pointing at that broadcaster's (or ingress's) {@code /widget.js}.
 */
final class EmbeddingSite implements AutoCloseable {

    private static final Pattern QUERY = Pattern.compile(
            "broadcaster=(\\d{1,5}|[a-z0-9.-]{1,253}:\\d{1,5})&counter=([A-Za-z0-9._-]{1,64})");

    private final HttpServer server;
    private final String template;

    private EmbeddingSite(HttpServer server, String template) {
        this.server = server;
        this.template = template;
    }

    static EmbeddingSite start(int port) {
        try (InputStream in = EmbeddingSite.class.getResourceAsStream("/browser/embedding-site.html")) {
            String template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
            EmbeddingSite site = new EmbeddingSite(server, template);
            server.createContext("/", site::serve);
            server.start();
            return site;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The page on this site that embeds the widget of the broadcaster on {@code broadcasterPort}. */
    String pageUrl(int broadcasterPort, String counter) {
        return pageUrl("127.0.0.1:" + broadcasterPort, counter);
    }

    /** The page on this site that embeds the widget from {@code http://<hostAndPort>/widget.js}, e.g. an ingress. */
    String pageUrl(String hostAndPort, String counter) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/?broadcaster=" + hostAndPort
                + "&counter=" + counter;
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String query = exchange.getRequestURI().getRawQuery();
            Matcher m = QUERY.matcher(query == null ? "" : query);
            if (!exchange.getRequestURI().getPath().equals("/") || !m.matches()) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            byte[] body = template
                    .replace("{{WIDGET_SRC}}", "http://" + (m.group(1).contains(":") ? m.group(1) : "127.0.0.1:" + m.group(1)) + "/widget.js")
                    .replace("{{COUNTER}}", m.group(2))
                    .getBytes(StandardCharsets.UTF_8);
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
