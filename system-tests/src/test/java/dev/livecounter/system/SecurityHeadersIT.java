package dev.livecounter.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the broadcaster serves to browsers carries the headers that keep other sites from framing the page and
 * browsers from guessing types: without them, a site framing the page opens sockets from the counter's own origin
 * and the origin allow-list never applies. (The same thing in a real browser: {@code browser.FramingIT}.)
 */
@ExtendWith(LiveSystem.Running.class)
class SecurityHeadersIT {

    private static HttpResponse<String> get(String path) {
        return LiveSystem.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + LiveSystem.replica(0) + path))
                .build());
    }

    @Test
    void thePageItsAssetsTheWidgetAndTheApiCarrySecurityHeaders() {
        for (String path : List.of("/", "/?counter=anything", "/assets/app.js", "/assets/style.css", "/widget.js", "/api/counters/home", "/health")) {
            HttpResponse<String> response = get(path);
            assertEquals(200, response.statusCode(), path);
            String csp = response.headers().firstValue("Content-Security-Policy").orElse(null);
            assertNotNull(csp, path + " has no Content-Security-Policy");
            String ancestors = directive(csp, "frame-ancestors");
            assertEquals("'self' http://127.0.0.1:" + LiveSystem.allowedSitePort(), ancestors,
                    path + ": framed only by itself and the allowed origins");
            assertEquals("'self'", directive(csp, "script-src"), path + ": only the page's own scripts");
            assertFalse(csp.contains("unsafe-inline") || csp.contains("unsafe-eval"), csp);
            assertEquals("nosniff", response.headers().firstValue("X-Content-Type-Options").orElse(null), path);
            assertTrue(response.headers().firstValue("Referrer-Policy").isPresent(), path + " has no Referrer-Policy");
        }
    }

    private static String directive(String csp, String name) {
        for (String part : csp.split(";")) {
            String trimmed = part.trim();
            if (trimmed.startsWith(name + " ")) {
                return trimmed.substring(name.length() + 1).trim();
            }
        }
        return null;
    }
}
