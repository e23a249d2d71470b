package dev.livecounter.common.security;

import dev.livecounter.common.contract.ErrorCode;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.function.LongSupplier;

/**
 * Decides whether one internal call is genuine: a signature ({@link InternalSignature}) over this very method, path,
 * body and a time inside the window, not seen before; or, only while a rolling upgrade allows it, the plain secret.
 * Kept apart from the HTTP filter so that the decision is tested on its own, with a clock the test moves.
 */
final class InternalCallVerifier {

    /** Why a call is refused, and with which status. */
    record Refusal(HttpStatus status, ErrorCode code, String reason) {}

    private final byte[] key;
    private final long windowMillis;
    private final boolean acceptPlainSecret;
    private final SeenSignatures seen;
    private final LongSupplier clock;

    InternalCallVerifier(InternalSettings settings, LongSupplier clock) {
        this.key = InternalSignature.key(settings.secret());
        this.windowMillis = settings.signatureWindow().toMillis();
        this.acceptPlainSecret = settings.acceptPlainSecret();
        this.seen = new SeenSignatures(settings.replayCapacity());
        this.clock = clock;
    }

    /** Null when the call may pass; else why not. */
    @Nullable
    Refusal check(String method, String target, byte[] body, @Nullable String signature, @Nullable String plainSecret) {
        if (signature == null) {
            if (acceptPlainSecret && plainSecret != null && MessageDigest.isEqual(key, InternalSignature.key(plainSecret))) {
                return null;
            }
            return forbidden(plainSecret == null
                    ? "missing " + InternalSignature.HEADER
                    : InternalSignature.PLAIN_SECRET_HEADER + " is not accepted: sign the call (" + InternalSignature.HEADER + ")");
        }
        InternalSignature.Parsed parsed = InternalSignature.parse(signature);
        if (parsed == null) {
            return forbidden("malformed " + InternalSignature.HEADER);
        }
        long now = clock.getAsLong();
        if (Math.abs(now - parsed.epochMillis()) > windowMillis) {
            return forbidden("signature time outside the window of " + windowMillis + " ms");
        }
        byte[] expected = InternalSignature.mac(key, method, target, parsed.epochMillis(), parsed.nonce(), body);
        if (!MessageDigest.isEqual(expected, parsed.mac())) {
            return forbidden("signature does not match the call");
        }
        return switch (seen.see(ByteBuffer.wrap(expected).getLong(), parsed.epochMillis() + windowMillis, now)) {
            case FIRST -> null;
            case REPLAY -> forbidden("signature already used");
            case FULL -> new Refusal(HttpStatus.SERVICE_UNAVAILABLE, ErrorCode.UNAVAILABLE,
                    "too many internal calls inside the signature window; try again shortly");
        };
    }

    int remembered() {
        return seen.size();
    }

    private static Refusal forbidden(String reason) {
        return new Refusal(HttpStatus.FORBIDDEN, ErrorCode.FORBIDDEN, "internal endpoint: " + reason);
    }
}
