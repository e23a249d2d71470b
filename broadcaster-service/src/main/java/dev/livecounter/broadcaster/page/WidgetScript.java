package dev.livecounter.broadcaster.page;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code /widget.js}, the script other sites embed: the page's client core ({@code public/assets/client.js}, which
 * the page loads as a file of its own) followed by the widget ({@code widget/widget.js}), inside one closure. A
 * foreign page includes one {@code <script>} tag and may allow only that URL in its own CSP, so the widget cannot
 * load the core as a second file; the closure keeps the core's top-level name off the other site's global scope.
 * Built once at start-up: no bundler, and both files stay plain scripts one can read and test in a browser.
 */
@Controller
public class WidgetScript {

    /** The embed script's path, stable: sites paste it into their pages. */
    public static final String PATH = "/widget.js";

    private static final String CORE = "/public/assets/client.js";
    private static final String WIDGET = "/widget/widget.js";
    /** As the static files: a new release reaches embedding pages within a minute. */
    private static final String CACHE_CONTROL = "public, max-age=60";

    private final byte[] script;

    WidgetScript() {
        String joined = "// Live Counter widget: " + CORE.substring(1) + " and " + WIDGET.substring(1)
                + " (see docs/widget.md)\n(() => {\n" + read(CORE) + "\n" + read(WIDGET) + "\n})();\n";
        this.script = joined.getBytes(StandardCharsets.UTF_8);
    }

    @Get(uri = PATH, produces = "text/javascript;charset=utf-8")
    HttpResponse<byte[]> script() {
        return HttpResponse.ok(script).header(HttpHeaders.CACHE_CONTROL, CACHE_CONTROL);
    }

    private static String read(String resource) {
        try (InputStream in = WidgetScript.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the widget's part " + resource + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
