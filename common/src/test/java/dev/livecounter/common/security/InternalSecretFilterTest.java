package dev.livecounter.common.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.serde.annotation.Serdeable;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The filters on a real server: a call signed as documented passes and its controller still reads the body the
 * filter read; the plain secret header, a changed body and a replay are refused with a JSON 403; a declarative
 * {@link InternalCall} client signs the exact bytes it sends and never sends the secret. The signatures here are
 * computed by the test from the documented format, not by the code under test.
 */
class InternalSecretFilterTest {

    private static final String SECRET = "filter-test-secret";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static EmbeddedServer server;

    @BeforeAll
    static void start() {
        server = ApplicationContext.run(EmbeddedServer.class, Map.of(
                "spec.name", "InternalSecretFilterTest",
                "micronaut.server.port", -1,
                "livecounter.internal.secret", SECRET,
                "livecounter.internal.paths", "/internal/"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** The header value as the documented format makes it. */
    static String signature(String secret, String method, String target, String body, long millis, String nonce)
            throws Exception {
        HexFormat hex = HexFormat.of();
        String bodyHash = hex.formatHex(MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8)));
        String signed = "live-counter-v1\n" + method + "\n" + target + "\n" + millis + "\n" + nonce + "\n" + bodyHash;
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "t=" + millis + ",n=" + nonce + ",v1=" + hex.formatHex(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
    }

    private static HttpResponse<String> post(String target, String body, String header, String value) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getPort() + target))
                        .header("Content-Type", "application/json")
                        .header(header, value)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aSignedCallPassesAndItsControllerStillReadsTheBody() throws Exception {
        String body = "{\"text\":\"héllo\"}";
        HttpResponse<String> response = post("/internal/echo?tag=a%20b", body, "X-Live-Counter-Signature",
                signature(SECRET, "POST", "/internal/echo?tag=a%20b", body, System.currentTimeMillis(), "0123456789abcdef"));
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("a b|false|" + body, response.body());
    }

    @Test
    void thePlainSecretHeaderIsRefused() throws Exception {
        HttpResponse<String> response = post("/internal/echo", "{}", "X-Live-Counter-Secret", SECRET);
        assertEquals(403, response.statusCode(), response.body());
        assertTrue(response.body().contains("\"error\":\"forbidden\""), response.body());
        assertTrue(response.body().contains("X-Live-Counter-Secret is not accepted"), response.body());
    }

    @Test
    void aChangedBodyIsRefused() throws Exception {
        String header = signature(SECRET, "POST", "/internal/echo", "{\"text\":\"a\"}", System.currentTimeMillis(), "00000000000000aa");
        HttpResponse<String> response = post("/internal/echo", "{\"text\":\"b\"}", "X-Live-Counter-Signature", header);
        assertEquals(403, response.statusCode(), response.body());
        assertTrue(response.body().contains("signature does not match the call"), response.body());
    }

    @Test
    void aReplayedCallIsRefused() throws Exception {
        String header = signature(SECRET, "POST", "/internal/echo", "{}", System.currentTimeMillis(), "00000000000000bb");
        assertEquals(200, post("/internal/echo", "{}", "X-Live-Counter-Signature", header).statusCode());
        HttpResponse<String> again = post("/internal/echo", "{}", "X-Live-Counter-Signature", header);
        assertEquals(403, again.statusCode(), again.body());
        assertTrue(again.body().contains("signature already used"), again.body());
    }

    @Test
    void aDeclarativeInternalClientSignsTheBytesItSendsAndNeverTheSecret() {
        EchoClient client = server.getApplicationContext().getBean(EchoClient.class);
        assertEquals("x y|false|{\"text\":\"from the client\"}", client.echo("x y", new Message("from the client")));
        assertEquals("false", client.peek());
    }

    @Serdeable
    record Message(String text) {}

    @Requires(property = "spec.name", value = "InternalSecretFilterTest")
    @Controller("/internal")
    static class EchoController {

        /** The query, whether the plain secret came along, and the body exactly as the controller got it. */
        @Post("/echo")
        String echo(@Nullable @QueryValue String tag, @Nullable @Header("X-Live-Counter-Secret") String plain,
                @Body String body) {
            return tag + "|" + (plain != null) + "|" + body;
        }

        @Get("/peek")
        String peek(@Nullable @Header("X-Live-Counter-Secret") String plain) {
            return String.valueOf(plain != null);
        }
    }

    @Requires(property = "spec.name", value = "InternalSecretFilterTest")
    @Client("/")
    @InternalCall
    interface EchoClient {

        @Post("/internal/echo{?tag}")
        String echo(@QueryValue String tag, @Body Message message);

        @Get("/internal/peek")
        String peek();
    }
}
