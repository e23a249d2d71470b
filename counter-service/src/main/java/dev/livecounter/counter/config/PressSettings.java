package dev.livecounter.counter.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Min;

/**
 * How presses are written (group commit per counter).
 *
 * @param batch      presses on one counter summed into one write at most (default 1000); env
 *                   {@code LIVECOUNTER_PRESSES_BATCH}
 * @param committers writes of press batches under way at once, over all counters (default 8); env
 *                   {@code LIVECOUNTER_PRESSES_COMMITTERS}
 */
@ConfigurationProperties("livecounter.presses")
public record PressSettings(
        @Bindable(defaultValue = "1000") @Min(1) int batch,
        @Bindable(defaultValue = "8") @Min(1) int committers) {}
