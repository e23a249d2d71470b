package dev.livecounter.common.model;

import jakarta.validation.constraints.NotNull;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * The broadcaster's {@code $connect} call: a socket of one page load opened on one replica.
 *
 * @param counter   the counter the page shows
 * @param replicaId the broadcaster replica holding the socket
 * @param visitId   made once per page load; a reconnect sends the same one
 * @param visitorId the browser's anonymous visitor id (kept in its localStorage), or null from a client that
 *                  sends none: its visits count, but not as unique visitors
 * @param source    the key of the client's address (a keyed hash, never the address): a new counter is drawn from
 *                  that address's share of the budget; null from an older broadcaster (the whole budget applies)
 */
@Serdeable
public record ConnectRequest(
        @NotBlank @Size(max = 64) String counter,
        @NotBlank @Size(max = 128) String replicaId,
        @NotNull @Pattern(regexp = Ids.RULE) String visitId,
        @Nullable @Pattern(regexp = Ids.RULE) String visitorId,
        @Nullable @Pattern(regexp = Ids.RULE) String source) {}
