package dev.livecounter.broadcaster.tables.scope;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import dev.livecounter.broadcaster.protocol.ClientMessages.Rejected;
import dev.livecounter.common.contract.ErrorCode;
import java.net.MalformedURLException;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import javax.crypto.spec.SecretKeySpec;

/**
 * The keys a token may be signed with, chosen by its algorithm: HS256 only by the configured secret, RS256 and ES256
 * only by the outside issuer's JWKS. Tying each algorithm to its own keys is what keeps an HS256 token from being
 * "signed" with the issuer's public key.
 */
final class VerificationKeys implements JWSKeySelector<SecurityContext> {

    /** Connect and read timeouts of a JWKS fetch: a subscribe waits for it. */
    static final Duration FETCH_TIMEOUT = Duration.ofSeconds(2);

    /** HMAC-SHA256 keys shorter than its output are refused by RFC 7518 (section 3.2), and by Nimbus. */
    static final int MIN_SECRET_BYTES = 32;

    private static final Set<JWSAlgorithm> ISSUER_ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256);

    private final SecretKeySpec hmacKey;
    private final String noSecret;
    private final JWSKeySelector<SecurityContext> issuerKeys;

    /** @param secret the HS256 secret, null when none is configured */
    VerificationKeys(String secret, TokenSettings settings) {
        byte[] bytes = secret == null ? new byte[0] : secret.getBytes(StandardCharsets.UTF_8);
        this.hmacKey = bytes.length >= MIN_SECRET_BYTES ? new SecretKeySpec(bytes, "HmacSHA256") : null;
        this.noSecret = secret == null
                ? "HS256 tokens are refused: no secret is set (livecounter.tokens.hmac-secret, env "
                        + "LIVECOUNTER_TOKENS_HMAC_SECRET, or livecounter.internal.secret; at least "
                        + MIN_SECRET_BYTES + " bytes)"
                : "HS256 tokens are refused: the secret is " + bytes.length + " bytes, at least " + MIN_SECRET_BYTES
                        + " are needed (set a longer livecounter.tokens.hmac-secret, env "
                        + "LIVECOUNTER_TOKENS_HMAC_SECRET)";
        this.issuerKeys = settings.jwksUrl() == null
                ? null
                : new JWSVerificationKeySelector<>(ISSUER_ALGORITHMS, issuerKeySource(settings));
    }

    /** The reason HS256 tokens are refused, or null when they are verified. */
    String secretProblem() {
        return hmacKey == null ? noSecret : null;
    }

    /** Refuses an algorithm this install has no keys for, before any key is looked up. */
    void requireKeysFor(JWSAlgorithm algorithm) throws Rejected {
        if (JWSAlgorithm.HS256.equals(algorithm)) {
            if (hmacKey == null) {
                throw new Rejected(ErrorCode.BAD_TOKEN, noSecret);
            }
        } else if (ISSUER_ALGORITHMS.contains(algorithm)) {
            if (issuerKeys == null) {
                throw new Rejected(ErrorCode.BAD_TOKEN,
                        algorithm + " tokens are refused: no issuer's JWKS is set (livecounter.tokens.jwks-url)");
            }
        } else {
            throw new Rejected(ErrorCode.BAD_TOKEN,
                    "the token's algorithm is not supported (HS256, RS256 and ES256 are)");
        }
    }

    /** Only for a token whose algorithm passed {@link #requireKeysFor}. */
    @Override
    public List<? extends Key> selectJWSKeys(JWSHeader header, SecurityContext context) throws KeySourceException {
        if (JWSAlgorithm.HS256.equals(header.getAlgorithm())) {
            return List.of(hmacKey);
        }
        List<? extends Key> keys = issuerKeys.selectJWSKeys(header, context);
        if (keys.isEmpty()) {
            throw new UnknownKeyId();
        }
        return keys;
    }

    /**
     * The issuer's keys, fetched and cached by Nimbus: kept for {@code jwksRefresh}, fetched again at once for a key
     * id not seen yet (rate limited, so forged key ids cannot make this replica hammer the issuer). No refresh ahead of
     * expiry: it would need a thread of its own, and the caller already waits off the event loop.
     */
    private static JWKSource<SecurityContext> issuerKeySource(TokenSettings settings) {
        int timeout = (int) FETCH_TIMEOUT.toMillis();
        long keep = settings.jwksRefresh().toMillis();
        try {
            return JWKSourceBuilder.<SecurityContext>create(
                            settings.jwksUrl().toURL(),
                            new DefaultResourceRetriever(timeout, timeout, JWKSourceBuilder.DEFAULT_HTTP_SIZE_LIMIT))
                    .cache(keep, 2L * timeout)
                    .refreshAheadCache(false)
                    .rateLimited(Math.min(JWKSourceBuilder.DEFAULT_RATE_LIMIT_MIN_INTERVAL, keep / 2))
                    .build();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IllegalStateException("livecounter.tokens.jwks-url is not a URL: " + settings.jwksUrl(), e);
        }
    }

    /** The issuer's JWKS, even fetched again, has no key with the token's key id (and algorithm). */
    static final class UnknownKeyId extends KeySourceException {
        UnknownKeyId() {
            super("no key of the issuer's JWKS has the token's key id");
        }
    }
}
