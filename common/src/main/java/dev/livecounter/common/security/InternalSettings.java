package dev.livecounter.common.security;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import io.micronaut.core.util.StringUtils;
import io.micronaut.http.MutableHttpRequest;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;

/**
 * The shared secret that guards the services' internal endpoints, read once for the server filter
 * ({@link InternalSecretFilter}), the declarative clients ({@link InternalCall}) and the services that post to
 * replicas with a plain HTTP client. Calls are signed with it ({@link InternalSignature}); it never travels, except
 * during the first step of a rolling upgrade from a version that sent it ({@code sendPlainSecret}).
 *
 * @param secret            the shared secret (a Kubernetes Secret in the chart); unset (default): no check, only
 *                          meant for a laptop; env {@code LIVECOUNTER_INTERNAL_SECRET}
 * @param paths             this service's internal path prefixes, which need a signed call (default none; each
 *                          service's application.yml lists its own)
 * @param signatureWindow   how far a call's signed time may be from the receiver's clock, either way, and so how long
 *                          the receiver remembers a signature to refuse its replay (default 30s)
 * @param replayCapacity    signatures remembered at most inside the window; past it calls are refused with 503
 *                          until old ones leave the window (default 1000000: room for ~16,000 calls a second
 *                          with the default window, at about 16 bytes a signature)
 * @param acceptPlainSecret the server also accepts the old plain secret header (default false; true only during
 *                          a rolling upgrade from a version that sent it); env
 *                          {@code LIVECOUNTER_INTERNAL_ACCEPT_PLAIN_SECRET}
 * @param sendPlainSecret   the clients also send the old plain secret header beside the signature (default false;
 *                          true only during that upgrade); env {@code LIVECOUNTER_INTERNAL_SEND_PLAIN_SECRET}
 */
@ConfigurationProperties("livecounter.internal")
public record InternalSettings(
        @Nullable String secret,
        @Nullable List<String> paths,
        @Bindable(defaultValue = "30s") @NotNull Duration signatureWindow,
        @Bindable(defaultValue = "1000000") @Min(1) int replayCapacity,
        @Bindable(defaultValue = "false") boolean acceptPlainSecret,
        @Bindable(defaultValue = "false") boolean sendPlainSecret) {

    public InternalSettings {
        paths = paths == null ? List.of() : List.copyOf(paths);
        signatureWindow = signatureWindow == null ? Duration.ofSeconds(30) : signatureWindow;
    }

    /** Whether a secret is configured. */
    public boolean hasSecret() {
        return StringUtils.isNotEmpty(secret);
    }

    /**
     * The request signed over its method, path and {@code body}, which must be exactly the bytes it will send; as it
     * was when no secret is configured.
     */
    public <T> MutableHttpRequest<T> sign(MutableHttpRequest<T> request, byte[] body) {
        if (!hasSecret()) {
            return request;
        }
        request.header(InternalSignature.HEADER, InternalSignature.header(
                secret, request.getMethodName(), InternalSignature.target(request.getUri()), body,
                System.currentTimeMillis()));
        return sendPlainSecret ? request.header(InternalSignature.PLAIN_SECRET_HEADER, secret) : request;
    }
}
