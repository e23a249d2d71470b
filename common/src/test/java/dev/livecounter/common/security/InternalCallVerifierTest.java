package dev.livecounter.common.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.http.HttpStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The decision on one internal call: signed over method, path, body and time, once; the plain secret only if allowed. */
class InternalCallVerifierTest {

    private static final String SECRET = "test-secret";
    private static final long NOW = 1_765_000_000_000L;
    private static final byte[] BODY = "{\"counter\":\"home\",\"value\":3,\"version\":7}".getBytes(StandardCharsets.UTF_8);

    private final AtomicLong clock = new AtomicLong(NOW);

    private InternalCallVerifier verifier(boolean acceptPlainSecret, int capacity) {
        return new InternalCallVerifier(new InternalSettings(SECRET, List.of("/internal/"), Duration.ofSeconds(30),
                capacity, acceptPlainSecret, false), clock::get);
    }

    private InternalCallVerifier verifier() {
        return verifier(false, 1000);
    }

    private static String signed(String method, String target, byte[] body, long millis) {
        return InternalSignature.header(SECRET, method, target, body, millis);
    }

    /** A post of {@link #BODY} to the broadcast endpoint, signed at {@code millis}. */
    private static String signedBroadcast(long millis) {
        return signed("POST", "/internal/broadcast", BODY, millis);
    }

    /** The verifier's answer to a post of {@link #BODY} to the broadcast endpoint with this signature header. */
    private static InternalCallVerifier.Refusal broadcast(InternalCallVerifier verifier, String header) {
        return verifier.check("POST", "/internal/broadcast", BODY, header, null);
    }

    /** A verifier that has just let a broadcast with this signature header through, once. */
    private InternalCallVerifier acceptedOnce(String header) {
        InternalCallVerifier verifier = verifier();
        assertNull(broadcast(verifier, header));
        return verifier;
    }

    private static String reason(InternalCallVerifier.Refusal refusal) {
        assertNotNull(refusal, "refused");
        return refusal.reason();
    }

    @Test
    void aSignedCallPasses() {
        assertNull(broadcast(verifier(), signedBroadcast(NOW)));
    }

    @Test
    void aSignedCallWithAQueryAndNoBodyPasses() {
        assertNull(verifier().check("GET", "/counters/home?visits=true", new byte[0],
                signed("GET", "/counters/home?visits=true", new byte[0], NOW - 29_000), null));
    }

    @Test
    void aChangedBodyIsRefused() {
        byte[] forged = "{\"counter\":\"home\",\"value\":999999,\"version\":7}".getBytes(StandardCharsets.UTF_8);
        InternalCallVerifier.Refusal refusal = verifier().check("POST", "/internal/broadcast", forged,
                signedBroadcast(NOW), null);
        assertEquals("internal endpoint: signature does not match the call", reason(refusal));
        assertEquals(HttpStatus.FORBIDDEN, refusal.status());
    }

    @Test
    void aChangedPathIsRefused() {
        assertEquals("internal endpoint: signature does not match the call", reason(verifier().check(
                "POST", "/counters/home/reset", BODY, signedBroadcast(NOW), null)));
        assertEquals("internal endpoint: signature does not match the call", reason(verifier().check(
                "POST", "/counters/home/reset?visits=true", new byte[0],
                signed("POST", "/counters/home/reset", new byte[0], NOW), null)));
    }

    @Test
    void aChangedMethodIsRefused() {
        assertEquals("internal endpoint: signature does not match the call", reason(verifier().check(
                "DELETE", "/counters/home", new byte[0], signed("GET", "/counters/home", new byte[0], NOW), null)));
    }

    @Test
    void aChangedTimestampIsRefused() {
        String header = signedBroadcast(NOW);
        String moved = header.replace("t=" + NOW, "t=" + (NOW + 1000));
        assertEquals("internal endpoint: signature does not match the call",
                reason(broadcast(verifier(), moved)));
    }

    @Test
    void aSignatureByAnotherSecretIsRefused() {
        String header = InternalSignature.header("another-secret", "POST", "/internal/broadcast", BODY, NOW);
        assertEquals("internal endpoint: signature does not match the call",
                reason(broadcast(verifier(), header)));
    }

    @Test
    void aReplayedSignatureIsRefused() {
        String header = signedBroadcast(NOW);
        InternalCallVerifier verifier = acceptedOnce(header);
        clock.addAndGet(20_000);
        InternalCallVerifier.Refusal refusal = broadcast(verifier, header);
        assertEquals("internal endpoint: signature already used", reason(refusal));
        assertEquals(HttpStatus.FORBIDDEN, refusal.status());
    }

    @Test
    void twoEqualCallsInTheSameMillisecondAreTwoSignatures() {
        InternalCallVerifier verifier = verifier();
        assertNull(verifier.check("POST", "/internal/peers", new byte[0], signed("POST", "/internal/peers", new byte[0], NOW), null));
        assertNull(verifier.check("POST", "/internal/peers", new byte[0], signed("POST", "/internal/peers", new byte[0], NOW), null));
    }

    @Test
    void aTimeOutsideTheWindowIsRefusedEitherWay() {
        assertEquals("internal endpoint: signature time outside the window of 30000 ms",
                reason(broadcast(verifier(), signedBroadcast(NOW - 30_001))));
        assertEquals("internal endpoint: signature time outside the window of 30000 ms",
                reason(broadcast(verifier(), signedBroadcast(NOW + 30_001))));
    }

    @Test
    void aReplayAfterTheWindowIsRefusedByTheWindowAndForgotten() {
        String header = signedBroadcast(NOW);
        InternalCallVerifier verifier = acceptedOnce(header);
        // the set forgets a whole second at once: past the window and the second it ends in
        clock.addAndGet(31_000);
        assertEquals("internal endpoint: signature time outside the window of 30000 ms",
                reason(broadcast(verifier, header)));
        assertNull(broadcast(verifier, signedBroadcast(clock.get())));
        assertEquals(1, verifier.remembered(), "the first signature forgotten once past the window");
    }

    @Test
    void theReplaySetIsBoundedAndRefusesRatherThanForgetEarly() {
        InternalCallVerifier verifier = verifier(false, 3);
        for (int i = 0; i < 3; i++) {
            assertNull(verifier.check("POST", "/internal/peers", new byte[0], signed("POST", "/internal/peers", new byte[0], NOW), null));
        }
        InternalCallVerifier.Refusal full = verifier.check("POST", "/internal/peers", new byte[0],
                signed("POST", "/internal/peers", new byte[0], NOW), null);
        assertNotNull(full);
        assertEquals(HttpStatus.SERVICE_UNAVAILABLE, full.status());
        assertEquals(3, verifier.remembered());
        // the set forgets a whole second at once: past the window and the second it ends in
        clock.addAndGet(31_000);
        assertNull(verifier.check("POST", "/internal/peers", new byte[0],
                signed("POST", "/internal/peers", new byte[0], clock.get()), null));
        assertEquals(1, verifier.remembered());
    }

    @Test
    void malformedOrMissingSignaturesAreRefused() {
        assertEquals("internal endpoint: missing X-Live-Counter-Signature",
                reason(broadcast(verifier(), null)));
        for (String header : List.of("", "t=1", "t=x,n=00,v1=00", "v1=" + "0".repeat(64), "t=1,n=zz,v1=" + "0".repeat(64))) {
            assertEquals("internal endpoint: malformed X-Live-Counter-Signature",
                    reason(broadcast(verifier(), header)), header);
        }
    }

    @Test
    void thePlainSecretAloneIsRefused() {
        assertEquals("internal endpoint: X-Live-Counter-Secret is not accepted: sign the call (X-Live-Counter-Signature)",
                reason(verifier().check("POST", "/internal/broadcast", BODY, null, SECRET)));
    }

    @Test
    void thePlainSecretPassesOnlyWhileTheUpgradeAcceptsIt() {
        assertNull(verifier(true, 1000).check("POST", "/internal/broadcast", BODY, null, SECRET));
        assertTrue(reason(verifier(true, 1000).check("POST", "/internal/broadcast", BODY, null, "wrong"))
                .contains("X-Live-Counter-Secret is not accepted"));
    }

    @Test
    void aBadSignatureIsNotRescuedByThePlainSecret() {
        assertEquals("internal endpoint: signature does not match the call", reason(verifier(true, 1000).check(
                "POST", "/internal/broadcast", BODY, signed("POST", "/internal/other", BODY, NOW), SECRET)));
    }
}
