package dev.livecounter.common.contract;

import dev.livecounter.common.model.ConnectResult;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * One connect's answer in a batch ({@link ConnectionOperations#connectAll}): its result or the error of its refusal,
 * each connect answered on its own.
 *
 * @param result  the connect's result, or null when it was refused
 * @param error   an {@link ErrorCode}'s code: {@code counter_limit} (a new counter past the budget, nothing written),
 *                {@code bad_request} (a counter this install does not serve, nothing written), {@code unavailable}
 *                (the database failed: the connect may or may not have been written)
 * @param message what to tell a person
 */
@Serdeable
public record ConnectAnswer(@Nullable ConnectResult result, @Nullable String error, @Nullable String message) {

    public static ConnectAnswer of(ConnectResult result) {
        return new ConnectAnswer(result, null, null);
    }

    public static ConnectAnswer refused(ErrorCode error, String message) {
        return new ConnectAnswer(null, error.code(), message);
    }

    /** Whether it was refused with {@code code}. */
    public boolean refused(ErrorCode code) {
        return result == null && code.code().equals(error);
    }
}
