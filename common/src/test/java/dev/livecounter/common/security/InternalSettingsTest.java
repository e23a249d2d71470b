package dev.livecounter.common.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a signed request carries: the signature always, the plain secret only while an upgrade sends it. */
class InternalSettingsTest {

    private static final byte[] BODY = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);

    private static InternalSettings settings(String secret, boolean sendPlainSecret) {
        return new InternalSettings(secret, List.of("/internal/"), Duration.ofSeconds(30), 10, false, sendPlainSecret);
    }

    @Test
    void aSignedRequestVerifiesAndDoesNotCarryTheSecret() {
        MutableHttpRequest<byte[]> request = settings("s3cret", false).sign(HttpRequest.POST("/internal/broadcast?x=1", BODY), BODY);
        assertNull(request.getHeaders().get(InternalSignature.PLAIN_SECRET_HEADER));
        assertFalse(request.getHeaders().get(InternalSignature.HEADER).contains("s3cret"));
        InternalCallVerifier verifier = new InternalCallVerifier(settings("s3cret", false), System::currentTimeMillis);
        assertNull(verifier.check("POST", "/internal/broadcast?x=1", BODY, request.getHeaders().get(InternalSignature.HEADER), null));
    }

    @Test
    void duringAnUpgradeTheSecretGoesAlongForOlderReplicas() {
        MutableHttpRequest<byte[]> request = settings("s3cret", true).sign(HttpRequest.POST("/internal/broadcast", BODY), BODY);
        assertEquals("s3cret", request.getHeaders().get(InternalSignature.PLAIN_SECRET_HEADER));
        assertFalse(request.getHeaders().get(InternalSignature.HEADER).isEmpty());
    }

    @Test
    void withoutASecretNothingIsAdded() {
        MutableHttpRequest<byte[]> request = settings(null, true).sign(HttpRequest.POST("/internal/broadcast", BODY), BODY);
        assertNull(request.getHeaders().get(InternalSignature.HEADER));
        assertNull(request.getHeaders().get(InternalSignature.PLAIN_SECRET_HEADER));
    }
}
