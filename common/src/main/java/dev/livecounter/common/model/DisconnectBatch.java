package dev.livecounter.common.model;

import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * Sockets that closed together on one replica, disconnected in one call
 * ({@code ConnectionOperations.disconnectAll}).
 *
 * @param connectionIds at most {@link #MAX}, each answered on its own
 */
@Serdeable
public record DisconnectBatch(
        @NotNull @Size(min = 1, max = MAX) List<@NotNull @Pattern(regexp = Ids.RULE) String> connectionIds) {

    /** The most disconnects one call carries. */
    public static final int MAX = 100;
}
