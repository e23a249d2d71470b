package dev.livecounter.broadcaster.readapi;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Min;

/**
 * How often one client address may call the public read API ({@code /api/...}); more get HTTP 429.
 *
 * @param requestsPerSecond sustained (default 5); env {@code LIVECOUNTER_API_REQUESTS_PER_SECOND}
 * @param burst             in a burst (default 30); env {@code LIVECOUNTER_API_BURST}
 */
@ConfigurationProperties("livecounter.api")
public record ReadApiSettings(
        @Bindable(defaultValue = "5") @Min(1) int requestsPerSecond,
        @Bindable(defaultValue = "30") @Min(1) int burst) {}
