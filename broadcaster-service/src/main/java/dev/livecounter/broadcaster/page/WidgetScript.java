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
 * {@code /widget.js}, the script other sites embed: the widget's module ({@code widget/widget.js}) and the page's
 * modules it imports (the client core {@code public/assets/client.js} and what it imports, the chart's data
 * {@code visits.js}), joined by {@link ModuleBundle} into one classic script in one closure. A foreign page includes
 * one {@code <script>} tag and may allow only that URL in its own CSP, so the widget cannot load modules of its own;
 * the closure keeps every top-level name off the other site's global scope. Built once at start-up from the same
 * files the page loads as modules: no bundler, no build step, and a module it cannot join fails start-up.
 */
@Controller
public class WidgetScript {

    /** The embed script's path, stable: sites paste it into their pages. */
    public static final String PATH = "/widget.js";

    private static final String WIDGET = "/widget/widget.js";
    /** As the static files: a new release reaches embedding pages within a minute. */
    private static final String CACHE_CONTROL = "public, max-age=60";

    private final byte[] script;

    WidgetScript() {
        this.script = build().getBytes(StandardCharsets.UTF_8);
    }

    @Get(uri = PATH, produces = "text/javascript;charset=utf-8")
    HttpResponse<byte[]> script() {
        return HttpResponse.ok(script).header(HttpHeaders.CACHE_CONTROL, CACHE_CONTROL);
    }

    /** The script as served: the widget's module and its imports as one classic script. */
    static String build() {
        return "// Live Counter widget: " + WIDGET.substring(1) + " and the modules it imports, as one script"
                + " (see docs/widget.md)\n" + ModuleBundle.bundle(WIDGET, WidgetScript::read);
    }

    private static String read(String resource) {
        try (InputStream in = WidgetScript.class.getResourceAsStream(resource)) {
            if (in == null) {
                return null;
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
