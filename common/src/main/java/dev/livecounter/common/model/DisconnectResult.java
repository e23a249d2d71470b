package dev.livecounter.common.model;

import io.micronaut.serde.annotation.Serdeable;

/**
 * The answer to a {@code $disconnect} call.
 *
 * @param removed false when the connection was already gone (a retried call or a reaped replica): nothing was counted
 * @param counter the counter the connection belonged to, null when it was not found
 */
@Serdeable
public record DisconnectResult(boolean removed, String counter) {}
