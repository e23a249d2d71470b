package dev.livecounter.broadcaster.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/**
 * Calls between the services: the shared secret this replica puts on its posts to its peers (they check it with
 * {@link dev.livecounter.common.security.InternalSecretFilter}, which reads the same key).
 *
 * @param secret the value of the {@code X-Live-Counter-Secret} header; unset (default): none sent, and none is asked for;
 *               env {@code LIVECOUNTER_INTERNAL_SECRET}
 */
@ConfigurationProperties("livecounter.internal")
public record InternalSettings(@Nullable String secret) {

    public InternalSettings {
        secret = secret == null ? "" : secret;
    }
}
