package dev.livecounter.common.model;

import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * Sockets that opened together on one replica, connected in one call
 * ({@code ConnectionOperations.connectAll}, the broadcaster's batched call).
 *
 * @param connects at most {@link #MAX}, each answered on its own
 */
@Serdeable
public record ConnectBatch(@NotNull @Size(min = 1, max = MAX) List<@NotNull @Valid Connect> connects) {

    /** The most connects one call carries. */
    public static final int MAX = 100;

    /** One socket's connect: its connection id and what the broadcaster knows of it. */
    @Serdeable
    public record Connect(@NotNull @Pattern(regexp = Ids.RULE) String connectionId,
            @NotNull @Valid ConnectRequest request) {}
}
