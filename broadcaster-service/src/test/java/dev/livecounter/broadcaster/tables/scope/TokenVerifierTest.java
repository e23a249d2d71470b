package dev.livecounter.broadcaster.tables.scope;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.livecounter.broadcaster.protocol.ClientMessages.Rejected;
import dev.livecounter.common.contract.ErrorCode;
import dev.livecounter.common.security.InternalSettings;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TokenVerifierTest {

    private static final String SECRET = "a-test-secret-of-more-than-32-bytes";
    private static final Map<String, Object> ORDERS_C1 = Map.of(
            "orders", Map.of("keys", List.of("c1"), "prefixes", List.of("c2#"), "attributes", List.of("status")));

    private final List<HttpServer> servers = new ArrayList<>();
    private final AtomicReference<JWKSet> served = new AtomicReference<>(new JWKSet());
    private final AtomicInteger fetches = new AtomicInteger();

    @AfterEach
    void stopServers() {
        servers.forEach(server -> server.stop(0));
    }

    @Test
    void anHs256TokenGrantsTheScopeOfItsTablesClaim() throws Exception {
        Instant exp = Instant.now().plusSeconds(300);
        TokenScope scope = verifier(SECRET).verify(hs256(SECRET, claims().expirationTime(Date.from(exp)).build()));
        assertEquals("alice", scope.subject());
        assertEquals(exp.getEpochSecond(), scope.expiresAt().getEpochSecond());
        assertTrue(scope.allowsTable("orders"));
        assertTrue(scope.allowsPartition("orders", "c1"));
        assertTrue(scope.allowsPartition("orders", "c2#east"));
        assertFalse(scope.allowsPartition("orders", "c3"));
        assertFalse(scope.allowsWholeTable("orders"));
        assertEquals(Set.of("status"), scope.attributes("orders"));
    }

    @Test
    void theInternalSecretSignsWhenNoTokenSecretIsSet() throws Exception {
        TokenVerifier verifier = new TokenVerifier(settings(null, null, null, null), internal(SECRET));
        assertEquals("alice", verifier.verify(hs256(SECRET, claims().build())).subject());
        TokenVerifier emptySecret = new TokenVerifier(settings("", null, null, null), internal(SECRET));
        assertEquals("alice", emptySecret.verify(hs256(SECRET, claims().build())).subject(), "empty is unset");
    }

    @Test
    void aTokenSignedWithAnotherSecretIsRefused() {
        String token = hs256("another-secret-that-is-32-bytes-long", claims().build());
        Rejected refused = refused(verifier(SECRET), token);
        assertEquals(ErrorCode.BAD_TOKEN, refused.code());
        assertTrue(refused.getMessage().contains("signature"), refused.getMessage());
        assertFalse(refused.getMessage().contains(token));
    }

    @Test
    void anExpiredTokenIsTokenExpiredButTheClockSkewIsForgiven() throws Exception {
        Rejected refused = refused(verifier(SECRET), hs256(SECRET, claims().expirationTime(ago(120)).build()));
        assertEquals(ErrorCode.TOKEN_EXPIRED, refused.code());
        verifier(SECRET).verify(hs256(SECRET, claims().expirationTime(ago(10)).build()));
    }

    @Test
    void aTokenBeforeItsNotBeforeTimeIsRefused() {
        Date inFiveMinutes = Date.from(Instant.now().plusSeconds(300));
        Rejected refused = refused(verifier(SECRET), hs256(SECRET, claims().notBeforeTime(inFiveMinutes).build()));
        assertEquals(ErrorCode.BAD_TOKEN, refused.code());
        assertTrue(refused.getMessage().contains("before use time"), refused.getMessage());
    }

    @Test
    void aTokenWithoutExpIsRefused() {
        Rejected refused = refused(verifier(SECRET), hs256(SECRET, claims().expirationTime(null).build()));
        assertEquals(ErrorCode.BAD_TOKEN, refused.code());
        assertTrue(refused.getMessage().contains("exp"), refused.getMessage());
    }

    @Test
    void anUnsignedTokenAndOtherAlgorithmsAreRefused() throws Exception {
        String none = new PlainJWT(claims().build()).serialize();
        assertEquals("unsigned tokens (alg none) are refused", refused(verifier(SECRET), none).getMessage());
        SignedJWT hs512 = new SignedJWT(new JWSHeader(JWSAlgorithm.HS512), claims().build());
        hs512.sign(new MACSigner((SECRET + SECRET).getBytes(UTF_8)));
        Rejected refused = refused(verifier(SECRET), hs512.serialize());
        assertEquals(ErrorCode.BAD_TOKEN, refused.code());
        assertTrue(refused.getMessage().contains("algorithm"), refused.getMessage());
    }

    @Test
    void theIssuerAndAudienceAreRequiredWhenSet() throws Exception {
        TokenVerifier verifier = new TokenVerifier(
                settings(SECRET, null, "https://issuer/", "live-counter"), internal(null));
        verifier.verify(hs256(SECRET, claims().issuer("https://issuer/").audience("live-counter").build()));
        Rejected wrongIssuer = refused(verifier,
                hs256(SECRET, claims().issuer("https://other/").audience("live-counter").build()));
        assertTrue(wrongIssuer.getMessage().contains("iss"), wrongIssuer.getMessage());
        Rejected wrongAudience = refused(verifier,
                hs256(SECRET, claims().issuer("https://issuer/").audience("other").build()));
        assertTrue(wrongAudience.getMessage().contains("aud"), wrongAudience.getMessage());
        Rejected noAudience = refused(verifier, hs256(SECRET, claims().issuer("https://issuer/").build()));
        assertTrue(noAudience.getMessage().contains("aud"), noAudience.getMessage());
    }

    @Test
    void aTokenPastTheLengthLimitIsRefusedUnread() {
        String token = hs256(SECRET, claims().claim("pad", "x".repeat(5000)).build());
        Rejected refused = refused(verifier(SECRET), token);
        assertEquals("the token is longer than 4096 characters", refused.getMessage());
        assertEquals("the token is not a JWT", refused(verifier(SECRET), "not.a.jwt").getMessage());
        assertEquals("a token is required", refused(verifier(SECRET), "").getMessage());
    }

    @Test
    void aMalformedTablesClaimIsRefusedNamingTheClaim() {
        Map<Object, String> malformed = Map.of(
                "orders", "the token's tables claim must be an object of table names",
                Map.of("orders", List.of("c1")), "the token's tables.orders claim must be an object",
                Map.of("orders", Map.of("keys", "c1")), "the token's tables.orders.keys claim must be a list",
                Map.of("orders", Map.of("prefixes", List.of(1))), "the token's tables.orders.prefixes claim must be",
                Map.of("orders", Map.of("attributes", IntStream.range(0, 101).mapToObj(i -> "a" + i).toList())),
                        "the token's tables.orders.attributes claim must be a list of at most 100 strings",
                Map.of("orders", Map.of("key", List.of("c1"))),
                        "the token's tables.orders claim must be an object of keys, prefixes and attributes only");
        malformed.forEach((claim, message) -> {
            Rejected refused = refused(verifier(SECRET), hs256(SECRET, claims().claim("tables", claim).build()));
            assertEquals(ErrorCode.BAD_TOKEN, refused.code());
            assertTrue(refused.getMessage().startsWith(message), refused.getMessage());
        });
    }

    @Test
    void hs256IsRefusedWithoutASecretOrWithAShortOneSayingHowToSetOne() {
        TokenVerifier none = new TokenVerifier(settings(null, null, null, null), internal(null));
        Rejected refused = refused(none, hs256(SECRET, claims().build()));
        assertEquals(ErrorCode.BAD_TOKEN, refused.code());
        assertTrue(refused.getMessage().contains("livecounter.tokens.hmac-secret"), refused.getMessage());
        Rejected tooShort = refused(verifier("short"), hs256(SECRET, claims().build()));
        assertTrue(tooShort.getMessage().contains("the secret is 5 bytes, at least 32"), tooShort.getMessage());
    }

    @Test
    void rs256AndEs256TokensAreVerifiedByTheIssuersJwksAndARotatedKeyIsFound() throws Exception {
        RSAKey rsa = new RSAKeyGenerator(2048).keyID("r1").generate();
        ECKey ec = new ECKeyGenerator(Curve.P_256).keyID("e1").generate();
        served.set(new JWKSet(List.<JWK>of(rsa, ec)));
        TokenVerifier verifier = jwksVerifier(jwksServer());
        assertEquals("alice", verifier.verify(signed(JWSAlgorithm.RS256, rsa, new RSASSASigner(rsa))).subject());
        assertEquals("alice", verifier.verify(signed(JWSAlgorithm.ES256, ec, new ECDSASigner(ec))).subject());
        assertEquals(1, fetches.get(), "the keys are cached");

        RSAKey rotated = new RSAKeyGenerator(2048).keyID("r2").generate();
        served.set(new JWKSet(List.<JWK>of(rsa, ec, rotated)));
        verifier.verify(signed(JWSAlgorithm.RS256, rotated, new RSASSASigner(rotated)));
        assertEquals(2, fetches.get(), "a new key id fetches the keys again");
    }

    @Test
    void aTokenSignedByAForeignKeyWithAKnownKeyIdIsRefused() throws Exception {
        RSAKey rsa = new RSAKeyGenerator(2048).keyID("r1").generate();
        served.set(new JWKSet(rsa));
        RSAKey foreign = new RSAKeyGenerator(2048).keyID("r1").generate();
        Rejected refused = refused(jwksVerifier(jwksServer()),
                signed(JWSAlgorithm.RS256, foreign, new RSASSASigner(foreign)));
        assertEquals(ErrorCode.BAD_TOKEN, refused.code());
        assertEquals("the token's signature does not verify", refused.getMessage());
        RSAKey unknown = new RSAKeyGenerator(2048).keyID("r9").generate();
        assertEquals("no key of the issuer's JWKS has the token's key id", refused(jwksVerifier(jwksServer()),
                signed(JWSAlgorithm.RS256, unknown, new RSASSASigner(unknown))).getMessage());
    }

    @Test
    void aJwksThatCannotBeFetchedIsUnavailableNotABadToken() throws Exception {
        HttpServer down = jwksServer();
        down.stop(0);
        ECKey ec = new ECKeyGenerator(Curve.P_256).keyID("e1").generate();
        Rejected refused = refused(jwksVerifier(down), signed(JWSAlgorithm.ES256, ec, new ECDSASigner(ec)));
        assertEquals(ErrorCode.UNAVAILABLE, refused.code());
    }

    @Test
    void anIssuersAlgorithmIsRefusedWhenNoJwksIsSet() throws Exception {
        RSAKey rsa = new RSAKeyGenerator(2048).keyID("r1").generate();
        Rejected refused = refused(verifier(SECRET), signed(JWSAlgorithm.RS256, rsa, new RSASSASigner(rsa)));
        assertEquals(ErrorCode.BAD_TOKEN, refused.code());
        assertTrue(refused.getMessage().contains("livecounter.tokens.jwks-url"), refused.getMessage());
    }

    @Test
    void aScopeAllowsPartitionsByKeyOrPrefixAndTheWholeTableOnlyWhenNeitherIsGiven() {
        TokenScope scope = new TokenScope("bob", Instant.now(), Map.of(
                "orders", new TableScope(Set.of("c1"), null, null),
                "prefixed", new TableScope(null, List.of("eu-", "us-"), Set.of()),
                "all", new TableScope(null, null, Set.of("status", "total")),
                "nothing", new TableScope(Set.of(), null, null)));
        assertTrue(scope.allowsPartition("orders", "c1"));
        assertFalse(scope.allowsPartition("orders", "c10"), "keys are exact");
        assertFalse(scope.allowsWholeTable("orders"));
        assertNull(scope.attributes("orders"), "no narrowing");

        assertTrue(scope.allowsPartition("prefixed", "us-1"));
        assertFalse(scope.allowsPartition("prefixed", "ca-1"));
        assertEquals(Set.of(), scope.attributes("prefixed"), "keys only");

        assertTrue(scope.allowsWholeTable("all"));
        assertTrue(scope.allowsPartition("all", "anything"));
        assertEquals(Set.of("status", "total"), scope.attributes("all"));

        assertFalse(scope.allowsPartition("nothing", "c1"), "an empty list is not an absent one");
        assertFalse(scope.allowsWholeTable("nothing"));

        assertFalse(scope.allowsTable("other"));
        assertFalse(scope.allowsPartition("other", "c1"));
        assertFalse(scope.allowsWholeTable("other"));
        assertEquals(Set.of(), scope.attributes("other"), "a table not named shows nothing");
    }

    private static JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder()
                .subject("alice")
                .expirationTime(Date.from(Instant.now().plusSeconds(300)))
                .claim("tables", ORDERS_C1);
    }

    private static Date ago(int seconds) {
        return Date.from(Instant.now().minusSeconds(seconds));
    }

    private static String hs256(String secret, JWTClaimsSet claims) {
        return sign(new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims), secret.getBytes(UTF_8));
    }

    private static String sign(SignedJWT jwt, byte[] secret) {
        try {
            jwt.sign(new MACSigner(secret));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    private static String signed(JWSAlgorithm algorithm, JWK key, JWSSigner signer) throws JOSEException {
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(algorithm).keyID(key.getKeyID()).build(), claims().build());
        jwt.sign(signer);
        return jwt.serialize();
    }

    private static Rejected refused(TokenVerifier verifier, String token) {
        return assertThrows(Rejected.class, () -> verifier.verify(token));
    }

    private static TokenVerifier verifier(String secret) {
        return new TokenVerifier(settings(secret, null, null, null), internal(null));
    }

    private static TokenVerifier jwksVerifier(HttpServer server) {
        URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json");
        return new TokenVerifier(settings(null, url, null, null), internal(null));
    }

    private static TokenSettings settings(String secret, URI jwksUrl, String issuer, String audience) {
        return new TokenSettings(
                secret, jwksUrl, issuer, audience, Duration.ofSeconds(30), Duration.ofMinutes(5), 4096);
    }

    private static InternalSettings internal(String secret) {
        return new InternalSettings(secret, List.of(), Duration.ofSeconds(30), 10, false, false);
    }

    /** The issuer's JWKS endpoint: serves the public half of {@link #served}, counting fetches. */
    private HttpServer jwksServer() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/jwks.json", exchange -> {
            fetches.incrementAndGet();
            byte[] body = served.get().toPublicJWKSet().toString().getBytes(UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        servers.add(server);
        return server;
    }
}
