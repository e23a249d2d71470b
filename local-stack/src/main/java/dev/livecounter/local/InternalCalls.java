package dev.livecounter.local;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Internal calls made from outside the services (system tests, benchmarks, fault runs), signed as the services sign
 * theirs: {@code X-Live-Counter-Signature: t=<epoch millis>,n=<nonce>,v1=<HMAC-SHA256 hex>} over method, raw path
 * and query, time, nonce and the SHA-256 of the body (common's {@code InternalSignature} is the reference). Written
 * again here with the JDK alone because this module does not depend on common; should the two drift, every system
 * test that makes an internal call is refused with 403.
 */
public final class InternalCalls {

    /** The header the signature travels in. */
    public static final String HEADER = "X-Live-Counter-Signature";

    private static final HexFormat HEX = HexFormat.of();

    private InternalCalls() {}

    /** A request to an internal endpoint with a JSON {@code body} (or none), signed now with {@code secret}. */
    public static HttpRequest.Builder request(String secret, String method, URI uri, String body) {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        return HttpRequest.newBuilder(uri)
                .header(HEADER, signature(secret, method, uri, bytes, System.currentTimeMillis()))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(bytes));
    }

    /** The signature header's value for this call at {@code epochMillis}, with a fresh nonce. */
    public static String signature(String secret, String method, URI uri, byte[] body, long epochMillis) {
        String nonce = HEX.toHexDigits(ThreadLocalRandom.current().nextLong());
        String target = uri.getRawQuery() == null ? uri.getRawPath() : uri.getRawPath() + "?" + uri.getRawQuery();
        try {
            String signed = String.join("\n", "live-counter-v1", method, target, Long.toString(epochMillis), nonce,
                    HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(body)));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "t=" + epochMillis + ",n=" + nonce + ",v1="
                    + HEX.formatHex(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 and SHA-256 are part of every JDK", e);
        }
    }
}
