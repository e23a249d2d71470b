package dev.livecounter.broadcaster.tables.scope;

import dev.livecounter.common.contract.ErrorCode;

/**
 * A token not accepted, with the code and message the client is sent. The message says why and never holds the token.
 * No stack trace is kept: refusals are expected, and a client may send many.
 */
public final class TokenRefused extends Exception {

    private final ErrorCode code;

    public TokenRefused(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    /** {@link ErrorCode#BAD_TOKEN}, {@link ErrorCode#TOKEN_EXPIRED} or {@link ErrorCode#UNAVAILABLE}. */
    public ErrorCode code() {
        return code;
    }
}
