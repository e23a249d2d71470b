package dev.livecounter.common.model;

import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * A broadcaster replica's sockets that are still open, sent to connection-service on a schedule far below the
 * TTLs, so that their connection items and the visit markers of their page loads do not expire under them.
 *
 * @param sockets at most {@link #MAX_SOCKETS} per call
 */
@Serdeable
public record LeaseRenewal(@NotNull @Size(max = LeaseRenewal.MAX_SOCKETS) List<@Valid @NotNull OpenSocket> sockets) {

    /** Sockets per call: a replica with more sends several. */
    public static final int MAX_SOCKETS = 1000;

    /** One open socket: its connection id, its counter and its page load's visit id. */
    @Serdeable
    public record OpenSocket(
            @NotBlank @Size(max = 64) String connectionId,
            @NotBlank @Size(max = 64) String counter,
            @NotBlank @Size(max = 128) String visitId) {}
}
