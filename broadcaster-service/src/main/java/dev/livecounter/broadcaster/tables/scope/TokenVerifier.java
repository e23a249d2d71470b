package dev.livecounter.broadcaster.tables.scope;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.BadJWSException;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.jwt.proc.ExpiredJWTException;
import dev.livecounter.broadcaster.protocol.ClientMessages.Rejected;
import dev.livecounter.common.contract.ErrorCode;
import dev.livecounter.common.security.InternalSettings;
import io.micronaut.core.util.StringUtils;
import jakarta.inject.Singleton;
import java.text.ParseException;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the token of a subscription to an {@code access: token} table into the scope it grants. Nimbus JOSE+JWT does
 * the verifying: signature (HS256 by the secret, RS256/ES256 by the issuer's JWKS, nothing else), {@code exp}
 * (required), {@code nbf}, {@code iss} and {@code aud} when configured, all with the configured clock skew.
 */
@Singleton
public class TokenVerifier {

    private static final Logger LOG = LoggerFactory.getLogger(TokenVerifier.class);

    private final int maxLength;
    private final VerificationKeys keys;
    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

    public TokenVerifier(TokenSettings settings, InternalSettings internal) {
        this.maxLength = settings.maxLength();
        // an empty value (a chart's unset variable) is no secret, not a 0-byte one
        String secret = StringUtils.isNotEmpty(settings.hmacSecret())
                ? settings.hmacSecret()
                : internal.hasSecret() ? internal.secret() : null;
        this.keys = new VerificationKeys(secret, settings);
        if (secret != null && keys.secretProblem() != null) {
            LOG.warn(keys.secretProblem());
        }
        processor.setJWSKeySelector(keys);
        processor.setJWTClaimsSetVerifier(claimsVerifier(settings));
    }

    /**
     * The scope the token grants. An RS256/ES256 token may wait for the issuer's JWKS (a few seconds at most), so this
     * is not called on an event loop.
     *
     * @throws Rejected {@link ErrorCode#TOKEN_EXPIRED} past its {@code exp}; {@link ErrorCode#UNAVAILABLE} when the
     *                      issuer's JWKS cannot be fetched; {@link ErrorCode#BAD_TOKEN} for anything else wrong with it
     */
    public TokenScope verify(String token) throws Rejected {
        SignedJWT signed = parse(token);
        keys.requireKeysFor(signed.getHeader().getAlgorithm());
        JWTClaimsSet claims;
        try {
            claims = processor.process(signed, null);
        } catch (ExpiredJWTException e) {
            throw new Rejected(ErrorCode.TOKEN_EXPIRED, "the token has expired");
        } catch (BadJWTException e) {
            throw bad("the token's claims are refused: " + e.getMessage());
        } catch (BadJWSException e) {
            throw bad("the token's signature does not verify");
        } catch (VerificationKeys.UnknownKeyId e) {
            throw bad(e.getMessage());
        } catch (KeySourceException e) {
            throw new Rejected(ErrorCode.UNAVAILABLE,
                    "the issuer's keys cannot be fetched just now: try again shortly");
        } catch (BadJOSEException | JOSEException e) {
            throw bad("the token cannot be verified: " + e.getMessage());
        }
        return new TokenScope(
                claims.getSubject(),
                claims.getExpirationTime().toInstant(),
                ScopeClaim.tables(claims.getClaim(ScopeClaim.NAME)));
    }

    private SignedJWT parse(String token) throws Rejected {
        if (token == null || token.isEmpty()) {
            throw bad("a token is required");
        }
        if (token.length() > maxLength) {
            throw bad("the token is longer than " + maxLength + " characters");
        }
        JWT jwt;
        try {
            jwt = JWTParser.parse(token);
        } catch (ParseException e) {
            // the parser's message may quote the token
            throw bad("the token is not a JWT");
        }
        if (jwt instanceof SignedJWT signed) {
            return signed;
        }
        throw bad(jwt instanceof PlainJWT
                ? "unsigned tokens (alg none) are refused"
                : "encrypted tokens are not supported");
    }

    private static DefaultJWTClaimsVerifier<SecurityContext> claimsVerifier(TokenSettings settings) {
        JWTClaimsSet.Builder exact = new JWTClaimsSet.Builder();
        if (settings.issuer() != null) {
            exact.issuer(settings.issuer());
        }
        DefaultJWTClaimsVerifier<SecurityContext> verifier = new DefaultJWTClaimsVerifier<>(
                settings.audience() == null ? null : Set.of(settings.audience()),
                exact.build(),
                Set.of("exp"),
                null);
        verifier.setMaxClockSkew((int) settings.clockSkew().toSeconds());
        return verifier;
    }

    private static Rejected bad(String message) {
        return new Rejected(ErrorCode.BAD_TOKEN, message);
    }
}
