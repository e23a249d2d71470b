package dev.livecounter.common.model;

import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * Sockets that opened together on one replica, connected in one call
 * ({@link dev.livecounter.common.contract.ConnectionOperations#connectAll}).
 *
 * @param connects at most {@link #MAX}, each answered on its own
 */
@Serdeable
public record ConnectBatch(@NotNull @Size(min = 1, max = MAX) List<@NotNull @Valid Connect> connects) {

    /** The most connects one call carries. */
    public static final int MAX = 100;

    /** One socket's connect: what {@code PUT /connections/{connectionId}} carries in its path and body. */
    @Serdeable
    public record Connect(@NotNull @Pattern(regexp = "[A-Za-z0-9_-]{1,64}") String connectionId,
            @NotNull @Valid ConnectRequest request) {}
}
