package dev.livecounter.common.model;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * The answer to a {@code $disconnect} call.
 *
 * @param removed  false when the connection was already gone (a retried call or a reaped replica): nothing was counted
 * @param counter  the counter the connection belonged to, null when it was not found
 * @param snapshot the counter right after the call (strongly consistent read), so the caller can show every page
 *                 the new {@code online} at once; null when nothing was counted or the read failed (the stream
 *                 then brings it)
 */
@Serdeable
public record DisconnectResult(boolean removed, @Nullable String counter, @Nullable CounterSnapshot snapshot) {

    /** A result without the counter's state (yet). */
    public DisconnectResult(boolean removed, @Nullable String counter) {
        this(removed, counter, null);
    }

    /** This result with the counter as it is after the call. */
    public DisconnectResult withSnapshot(@Nullable CounterSnapshot after) {
        return new DisconnectResult(removed, counter, after);
    }
}
