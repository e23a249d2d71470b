package dev.livecounter.common.security;

import dev.livecounter.common.contract.ErrorCode;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.ServerHttpRequest;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.body.ByteBody;
import io.micronaut.http.body.CloseableAvailableByteBody;
import io.micronaut.http.filter.FilterContinuation;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Refuses calls to a service's internal paths (the route integrations and replica-to-replica posts) that are not
 * signed with the shared secret over their method, path, time and exact body ({@link InternalSignature}), or whose
 * signature was already used: someone who reads one call can neither change it nor send it again. The paths and
 * the secret are {@link InternalSettings}. Without a secret configured the check is off, which is only meant for a
 * laptop, and start-up says so.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class InternalSecretFilter {

    private static final Logger LOG = LoggerFactory.getLogger(InternalSecretFilter.class);

    private static final long LOG_EVERY_NANOS = 1_000_000_000L;

    private final InternalCallVerifier verifier;
    private final List<String> paths;
    private final AtomicLong lastLogged = new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS);
    private final AtomicLong unlogged = new AtomicLong();

    InternalSecretFilter(InternalSettings settings) {
        this.verifier = settings.hasSecret() ? new InternalCallVerifier(settings, System::currentTimeMillis) : null;
        this.paths = List.copyOf(settings.paths());
        if (this.verifier == null && !this.paths.isEmpty()) {
            LOG.warn("livecounter.internal.secret is not set: internal endpoints {} accept calls from anyone", paths);
        }
        if (this.verifier != null && settings.acceptPlainSecret()) {
            LOG.warn("livecounter.internal.accept-plain-secret is on: internal endpoints {} also take the unsigned "
                    + "secret header (for a rolling upgrade only; turn it off once every replica signs)", paths);
        }
    }

    /**
     * Reads the body of an internal call (from a split of it: the controller still reads its own) and checks the
     * signature over it; any other request passes at once.
     */
    @RequestFilter
    Publisher<MutableHttpResponse<?>> checkSignature(
            HttpRequest<?> request, FilterContinuation<Publisher<MutableHttpResponse<?>>> next) {
        if (verifier == null || !isInternal(request.getPath())) {
            return next.proceed();
        }
        if (!(request instanceof ServerHttpRequest<?> server)) {
            return Mono.just(refuse(request, new InternalCallVerifier.Refusal(
                    HttpStatus.FORBIDDEN, ErrorCode.FORBIDDEN, "internal endpoint: body not readable")));
        }
        return Mono.fromFuture(server.byteBody().split(ByteBody.SplitBackpressureMode.FASTEST).buffer())
                .flatMap(body -> {
                    InternalCallVerifier.Refusal refusal = verifier.check(request.getMethodName(),
                            InternalSignature.target(request.getUri()), toBytes(body),
                            request.getHeaders().get(InternalSignature.HEADER),
                            request.getHeaders().get(InternalSignature.PLAIN_SECRET_HEADER));
                    return refusal == null ? Mono.from(next.proceed()) : Mono.just(refuse(request, refusal));
                });
    }

    private static byte[] toBytes(CloseableAvailableByteBody body) {
        try (body) {
            return body.toByteArray();
        }
    }

    private MutableHttpResponse<?> refuse(HttpRequest<?> request, InternalCallVerifier.Refusal refusal) {
        // one line a second at most: a flood of forged calls must not flood the log too
        long now = System.nanoTime();
        long last = lastLogged.get();
        if (now - last >= LOG_EVERY_NANOS && lastLogged.compareAndSet(last, now)) {
            LOG.warn("Refused {} {} from {}: {} ({} more refused since the last such line)", request.getMethodName(),
                    request.getPath(), request.getRemoteAddress(), refusal.reason(), unlogged.getAndSet(0));
        } else {
            unlogged.incrementAndGet();
        }
        return HttpResponse.status(refusal.status()).body(refusal.code().body(refusal.reason()));
    }

    private boolean isInternal(String path) {
        for (String prefix : paths) {
            if (path.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
