package dev.livecounter.common.security;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature an internal call carries instead of the shared secret, so that reading one request no longer lets
 * anyone forge others (issue 22, finding 8). The header is
 * {@code X-Live-Counter-Signature: t=<epoch millis>,n=<16 hex nonce>,v1=<64 hex>}, where {@code v1} is
 * HMAC-SHA256, keyed by the secret's UTF-8 bytes, over the lines
 * <pre>
 * live-counter-v1
 * &lt;METHOD&gt;
 * &lt;raw path, with "?" and the raw query when there is one&gt;
 * &lt;t&gt;
 * &lt;n&gt;
 * &lt;hex SHA-256 of the exact body bytes (of no bytes when there is no body)&gt;
 * </pre>
 * joined with {@code \n}. The time bounds how long a captured call could be replayed; the nonce makes two equal
 * calls in the same millisecond two different signatures, so the receiver's replay check never refuses an honest
 * repeat. Only the JDK is used here: the same few lines sign from a shell ({@code openssl dgst -sha256 -hmac}).
 */
public final class InternalSignature {

    /** The header the signature travels in. */
    public static final String HEADER = "X-Live-Counter-Signature";

    /**
     * The header that carried the secret itself before signatures: sent and accepted only during a rolling upgrade
     * ({@link InternalSettings#sendPlainSecret()}, {@link InternalSettings#acceptPlainSecret()}).
     */
    public static final String PLAIN_SECRET_HEADER = "X-Live-Counter-Secret";

    private static final String VERSION = "live-counter-v1";
    private static final HexFormat HEX = HexFormat.of();

    private InternalSignature() {}

    /** The header value for a call made now with a fresh nonce. */
    public static String header(String secret, String method, String target, byte[] body, long epochMillis) {
        String nonce = HEX.toHexDigits(ThreadLocalRandom.current().nextLong());
        return header(key(secret), method, target, body, epochMillis, nonce);
    }

    static String header(byte[] key, String method, String target, byte[] body, long epochMillis, String nonce) {
        return "t=" + epochMillis + ",n=" + nonce + ",v1=" + HEX.formatHex(mac(key, method, target, epochMillis, nonce, body));
    }

    /** What is signed as the path: the raw (still percent-encoded) path and query, as they go on the wire. */
    public static String target(URI uri) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
    }

    static byte[] key(String secret) {
        return secret.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] mac(byte[] key, String method, String target, long epochMillis, String nonce, byte[] body) {
        String signed = String.join("\n", VERSION, method, target, Long.toString(epochMillis), nonce,
                HEX.formatHex(sha256(body)));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(signed.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private static byte[] sha256(byte[] body) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** A header value taken apart; null when it is not one this version writes. */
    static Parsed parse(String header) {
        long millis = -1;
        String nonce = null;
        byte[] mac = null;
        for (String part : header.split(",", 4)) {
            int eq = part.indexOf('=');
            if (eq < 0) {
                return null;
            }
            String name = part.substring(0, eq).trim();
            String value = part.substring(eq + 1).trim();
            try {
                switch (name) {
                    case "t" -> millis = Long.parseLong(value);
                    case "n" -> nonce = value.matches("[0-9a-f]{1,32}") ? value : null;
                    case "v1" -> mac = value.length() == 64 ? HEX.parseHex(value) : null;
                    default -> {
                        return null;
                    }
                }
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return millis < 0 || nonce == null || mac == null ? null : new Parsed(millis, nonce, mac);
    }

    /** The parts of a signature header. */
    record Parsed(long epochMillis, String nonce, byte[] mac) {}
}
