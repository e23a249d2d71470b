package dev.livecounter.broadcaster.websocket;

import dev.livecounter.broadcaster.config.BroadcasterSettings;
import dev.livecounter.broadcaster.limits.ClientLimits;
import dev.livecounter.common.contract.ErrorCode;
import dev.livecounter.common.model.CounterNames;
import dev.livecounter.common.model.Ids;
import dev.livecounter.common.counters.CounterPolicy;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.slf4j.LoggerFactory;

/**
 * Checks a WebSocket upgrade before anything is counted: the page's origin, the counter name, the visit id and
 * the visitor id.
 * A refused upgrade is an HTTP error with a JSON reason, never an open-then-close.
 */
@ServerFilter(UpgradeGuard.PATH)
public class UpgradeGuard {

    /** The WebSocket endpoint. */
    public static final String PATH = "/ws";

    private final List<String> allowedOrigins;
    private final CounterPolicy counters;
    private final ClientLimits limits;

    UpgradeGuard(BroadcasterSettings settings, CounterPolicy counters, ClientLimits limits) {
        this.allowedOrigins = settings.allowedOrigins();
        this.counters = counters;
        this.limits = limits;
        LoggerFactory.getLogger(UpgradeGuard.class).info("Pages may open sockets from their own origin and {}", allowedOrigins);
    }

    @RequestFilter
    @Nullable
    MutableHttpResponse<?> check(HttpRequest<?> request) {
        String origin = request.getHeaders().get(HttpHeaders.ORIGIN);
        if (origin != null && !originAllowed(origin, request)) {
            return refuse(HttpStatus.FORBIDDEN, ErrorCode.ORIGIN_NOT_ALLOWED, "origin " + origin + " may not open this socket");
        }
        String counter = counter(request);
        String refusal = counter == null ? null : counters.refusal(counter);
        if (refusal != null) {
            return CounterNames.isValid(counter)
                    ? refuse(HttpStatus.FORBIDDEN, ErrorCode.COUNTER_NOT_ALLOWED, refusal)
                    : refuse(HttpStatus.BAD_REQUEST, ErrorCode.BAD_COUNTER, refusal);
        }
        String visit = request.getParameters().get("visit");
        if (visit != null && !Ids.isValid(visit)) {
            return refuse(HttpStatus.BAD_REQUEST, ErrorCode.BAD_VISIT, "visit: " + Ids.DESCRIBED);
        }
        String visitor = request.getParameters().get("visitor");
        if (visitor != null && !Ids.isValid(visitor)) {
            return refuse(HttpStatus.BAD_REQUEST, ErrorCode.BAD_VISITOR, "visitor: " + Ids.DESCRIBED);
        }
        String tooMany = limits.refuseConnect(limits.address(request));
        if (tooMany != null) {
            return refuse(HttpStatus.TOO_MANY_REQUESTS, ErrorCode.RATE_LIMITED, tooMany);
        }
        return null;
    }

    /**
     * The page's own origin (same scheme, host and port as this request) is always allowed; others only when
     * listed (or when {@code *} is). A page served over https must not be matched by an http page of the same host.
     */
    private boolean originAllowed(String origin, HttpRequest<?> request) {
        if (allowedOrigins.contains("*") || allowedOrigins.contains(origin)) {
            return true;
        }
        String host = request.getHeaders().get(HttpHeaders.HOST);
        if (host == null) {
            return false;
        }
        try {
            URI page = URI.create(origin);
            String ownScheme = ownScheme(request);
            URI own = URI.create(ownScheme + "://" + host);
            return page.getHost() != null
                    && ownScheme.equalsIgnoreCase(page.getScheme())
                    && page.getHost().equalsIgnoreCase(own.getHost())
                    && effectivePort(page) == effectivePort(own);
        } catch (IllegalArgumentException malformed) {
            return false;
        }
    }

    /** The scheme the page was served with: the trusted proxy's {@code X-Forwarded-Proto}, else this connection's. */
    private String ownScheme(HttpRequest<?> request) {
        String forwarded = limits.throughTrustedProxy(request) ? request.getHeaders().get("X-Forwarded-Proto") : null;
        if (forwarded != null && !forwarded.isBlank()) {
            String[] hops = forwarded.split(",");
            return hops[hops.length - 1].strip().toLowerCase(java.util.Locale.ROOT);
        }
        return request.isSecure() ? "https" : "http";
    }

    private static int effectivePort(URI uri) {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private static MutableHttpResponse<?> refuse(HttpStatus status, ErrorCode code, String message) {
        return HttpResponse.status(status).body(code.body(message));
    }

    /** The counter the socket shows: the default when not named, none (null) when named empty. */
    @Nullable
    static String counter(HttpRequest<?> request) {
        String counter = request.getParameters().get("counter");
        return counter == null ? CounterNames.DEFAULT : counter.isEmpty() ? null : counter;
    }

    /** The browser's anonymous visitor id (checked above), or null from a client that sends none. */
    @Nullable
    static String visitorId(HttpRequest<?> request) {
        return request.getParameters().get("visitor");
    }

    static String visitId(HttpRequest<?> request) {
        String visit = request.getParameters().get("visit");
        return visit == null ? UUID.randomUUID().toString() : visit;
    }
}
