package dev.livecounter.broadcaster.readapi;

import dev.livecounter.broadcaster.config.BroadcasterSettings;
import dev.livecounter.broadcaster.limits.ClientLimits;
import dev.livecounter.broadcaster.limits.FleetShare;
import dev.livecounter.broadcaster.limits.TokenBucket;
import dev.livecounter.common.contract.ErrorCode;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.scheduling.annotation.Scheduled;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The public read API's door: read-only (GET and HEAD), rate-limited per client address (the same address the
 * socket limits use; the limit is the fleet's, {@link FleetShare}), and readable from the allowed origins' pages (CORS), e.g. the widget's sparkline.
 */
@ServerFilter(ReadApiController.PATH + "/**")
public class ReadApiGuard {

    private final ClientLimits limits;
    private final ReadApiSettings settings;
    private final FleetShare share;
    private final List<String> allowedOrigins;
    private final Map<String, TokenBucket> clients = new ConcurrentHashMap<>();

    ReadApiGuard(ClientLimits limits, ReadApiSettings settings, FleetShare share, BroadcasterSettings broadcaster) {
        this.limits = limits;
        this.settings = settings;
        this.share = share;
        this.allowedOrigins = broadcaster.allowedOrigins();
    }

    @RequestFilter
    @Nullable
    MutableHttpResponse<?> check(HttpRequest<?> request) {
        if (request.getMethod() != HttpMethod.GET && request.getMethod() != HttpMethod.HEAD) {
            return allowOrigin(request, HttpResponse.status(HttpStatus.METHOD_NOT_ALLOWED)
                    .header(HttpHeaders.ALLOW, "GET, HEAD")
                    .body(ErrorCode.METHOD_NOT_ALLOWED.body("the API is read-only: GET")));
        }
        String address = limits.address(request);
        TokenBucket bucket = clients.computeIfAbsent(
                address, a -> new TokenBucket(share.of(settings.requestsPerSecond()), share.of(settings.burst())));
        if (!bucket.tryTake(share.of(settings.requestsPerSecond()), share.of(settings.burst()))) {
            return allowOrigin(request, HttpResponse.status(HttpStatus.TOO_MANY_REQUESTS)
                    .header(HttpHeaders.RETRY_AFTER, "1")
                    .body(ErrorCode.RATE_LIMITED.body(
                            "too many API requests from " + address + " (at most " + settings.requestsPerSecond() + "/s over " + share.replicas() + " replicas)")));
        }
        return null;
    }

    @ResponseFilter
    void cors(HttpRequest<?> request, MutableHttpResponse<?> response) {
        allowOrigin(request, response);
    }

    /** Lets a page of an allowed origin read the answer; the page's own origin needs no header. */
    private MutableHttpResponse<?> allowOrigin(HttpRequest<?> request, MutableHttpResponse<?> response) {
        String origin = request.getHeaders().get(HttpHeaders.ORIGIN);
        response.getHeaders().add(HttpHeaders.VARY, HttpHeaders.ORIGIN);
        if (origin != null && (allowedOrigins.contains("*") || allowedOrigins.contains(origin))) {
            response.getHeaders().set(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        }
        return response;
    }

    /** Forgets addresses whose budget is whole again: memory stays bounded. */
    @Scheduled(fixedDelay = "30s")
    void forgetIdleClients() {
        clients.values().removeIf(TokenBucket::isFull);
    }
}
