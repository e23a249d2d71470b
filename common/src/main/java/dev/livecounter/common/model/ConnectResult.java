package dev.livecounter.common.model;

import io.micronaut.serde.annotation.Serdeable;

/**
 * The answer to a {@code $connect} call.
 *
 * @param registered false when the connection id was already registered (a retried call): nothing was counted
 * @param newVisit   whether this connect counted a visit
 * @param snapshot   the counter right after the call (strongly consistent read)
 */
@Serdeable
public record ConnectResult(boolean registered, boolean newVisit, CounterSnapshot snapshot) {}
