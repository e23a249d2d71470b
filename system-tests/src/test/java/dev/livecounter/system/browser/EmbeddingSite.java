package dev.livecounter.system.browser;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
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

    private final ForeignSite site;

    private EmbeddingSite(ForeignSite site) {
        this.site = site;
    }

    static EmbeddingSite start(int port) {
        try (InputStream in = EmbeddingSite.class.getResourceAsStream("/browser/embedding-site.html")) {
            String template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return new EmbeddingSite(ForeignSite.start(port, query -> page(template, query)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String page(String template, String query) {
        Matcher m = QUERY.matcher(query);
        if (!m.matches()) {
            return null;
        }
        String broadcaster = m.group(1).contains(":") ? m.group(1) : "127.0.0.1:" + m.group(1);
        return template.replace("{{WIDGET_SRC}}", "http://" + broadcaster + "/widget.js").replace("{{COUNTER}}", m.group(2));
    }

    /** The page on this site that embeds the widget of the broadcaster on {@code broadcasterPort}. */
    String pageUrl(int broadcasterPort, String counter) {
        return pageUrl("127.0.0.1:" + broadcasterPort, counter);
    }

    /** The page on this site that embeds the widget from {@code http://<hostAndPort>/widget.js}, e.g. an ingress. */
    String pageUrl(String hostAndPort, String counter) {
        return site.origin() + "/?broadcaster=" + hostAndPort + "&counter=" + counter;
    }

    @Override
    public void close() {
        site.close();
    }
}
