package dev.livecounter.common.security;

import dev.livecounter.common.contract.ErrorCode;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses calls to a service's internal paths (the route integrations and replica-to-replica posts) that do
 * not carry the shared secret. The paths and the secret are {@link InternalSettings}. Without a secret configured
 * the check is off, which is only meant for a laptop, and start-up says so.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class InternalSecretFilter {

    /** The header the secret travels in. */
    public static final String HEADER = "X-Live-Counter-Secret";

    private static final Logger LOG = LoggerFactory.getLogger(InternalSecretFilter.class);

    private final byte[] secret;
    private final List<String> paths;

    InternalSecretFilter(InternalSettings settings) {
        this.secret = settings.hasSecret() ? settings.secret().getBytes(StandardCharsets.UTF_8) : null;
        this.paths = List.copyOf(settings.paths());
        if (this.secret == null && !this.paths.isEmpty()) {
            LOG.warn("livecounter.internal.secret is not set: internal endpoints {} accept calls from anyone", paths);
        }
    }

    @RequestFilter
    @Nullable
    MutableHttpResponse<?> checkSecret(HttpRequest<?> request) {
        if (secret == null || !isInternal(request.getPath())) {
            return null;
        }
        String given = request.getHeaders().get(HEADER);
        if (given != null && MessageDigest.isEqual(secret, given.getBytes(StandardCharsets.UTF_8))) {
            return null;
        }
        return HttpResponse.status(HttpStatus.FORBIDDEN)
                .body(ErrorCode.FORBIDDEN.body("internal endpoint: missing or wrong " + HEADER));
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
