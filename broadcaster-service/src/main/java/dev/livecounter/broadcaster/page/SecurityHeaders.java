package dev.livecounter.broadcaster.page;

import dev.livecounter.broadcaster.config.BroadcasterSettings;
import dev.livecounter.broadcaster.websocket.UpgradeGuard;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Security headers on everything the broadcaster serves to browsers: the page, its assets, the widget script and the
 * public API. Without {@code frame-ancestors} any site could frame the page: its socket then comes from the counter's
 * own origin (always allowed), so the origin allow-list would not stop a visit counted on any name or a press
 * clickjacked through a transparent frame. The page may be framed by itself and by the origins allowed to open
 * sockets; the widget is embedded as a script, so it needs no framing. The WebSocket upgrade and the internal
 * endpoints are not read by browsers as documents and get nothing.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class SecurityHeaders {

    private final String contentSecurityPolicy;
    private final boolean sameOriginOnly;

    SecurityHeaders(BroadcasterSettings settings) {
        List<String> framers = settings.allowedOrigins().stream()
                .filter(origin -> !origin.equals("*"))
                .toList();
        this.sameOriginOnly = framers.isEmpty();
        String frameAncestors = framers.isEmpty()
                ? "'self'"
                : "'self' " + framers.stream().collect(Collectors.joining(" "));
        // only the page's own files: no inline script or style, no eval, sockets and fetches to its own origin
        this.contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
                + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors " + frameAncestors;
    }

    @ResponseFilter
    void addHeaders(HttpRequest<?> request, MutableHttpResponse<?> response) {
        String path = request.getPath();
        if (path.equals(UpgradeGuard.PATH) || path.startsWith("/internal/")) {
            return;
        }
        response.header("Content-Security-Policy", contentSecurityPolicy);
        response.header("X-Content-Type-Options", "nosniff");
        response.header("Referrer-Policy", "no-referrer");
        if (sameOriginOnly) {
            // for browsers that predate frame-ancestors; it cannot name other origins, so only when there are none
            response.header("X-Frame-Options", "SAMEORIGIN");
        }
    }
}
