package dev.livecounter.broadcaster.tables.scope;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;

/**
 * How the tokens (JWTs) that open {@code access: token} streamed tables are verified.
 *
 * @param hmacSecret  the HS256 key, at least 32 bytes (default: the install's internal secret,
 *                    {@code livecounter.internal.secret}); env {@code LIVECOUNTER_TOKENS_HMAC_SECRET}
 * @param jwksUrl     an outside issuer's JWKS, whose keys verify RS256 and ES256 tokens (default none: only HS256)
 * @param issuer      the {@code iss} every token must carry (default none: not checked)
 * @param audience    the {@code aud} every token must carry (default none: not checked)
 * @param clockSkew   how far this replica's clock may be from the issuer's when {@code exp} and {@code nbf} are
 *                    checked (default 30s)
 * @param jwksRefresh how long the JWKS is kept before it is fetched again; a token with an unknown key id fetches it
 *                    at once, at most twice in 30s (or half this, when shorter), so a rotated key is found (default
 *                    5m)
 * @param maxLength   the longest token read at all, in characters (default 4096)
 */
@ConfigurationProperties("livecounter.tokens")
public record TokenSettings(
        @Nullable String hmacSecret,
        @Nullable URI jwksUrl,
        @Nullable String issuer,
        @Nullable String audience,
        @Bindable(defaultValue = "30s") @NotNull Duration clockSkew,
        @Bindable(defaultValue = "5m") @NotNull Duration jwksRefresh,
        @Bindable(defaultValue = "4096") @Min(1) int maxLength) {}
