package dev.livecounter.common.security;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.util.StringUtils;
import io.micronaut.http.MutableHttpRequest;
import java.util.List;

/**
 * The shared secret that guards the services' internal endpoints, read once for the server filter
 * ({@link InternalSecretFilter}), the declarative clients ({@link InternalCall}) and the services that post to
 * replicas with a plain HTTP client.
 *
 * @param secret the shared secret (a Kubernetes Secret in the chart); unset (default): no check, only meant for a
 *               laptop; env {@code LIVECOUNTER_INTERNAL_SECRET}
 * @param paths  this service's internal path prefixes, which need the secret (default none; each service's
 *               application.yml lists its own)
 */
@ConfigurationProperties("livecounter.internal")
public record InternalSettings(@Nullable String secret, @Nullable List<String> paths) {

    public InternalSettings {
        paths = paths == null ? List.of() : List.copyOf(paths);
    }

    /** Whether a secret is configured. */
    public boolean hasSecret() {
        return StringUtils.isNotEmpty(secret);
    }

    /** The request with the secret's header, when a secret is configured. */
    public <T> MutableHttpRequest<T> sign(MutableHttpRequest<T> request) {
        return hasSecret() ? request.header(InternalSecretFilter.HEADER, secret) : request;
    }
}
