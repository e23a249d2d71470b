package dev.livecounter.common.security;

import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.annotation.ClientFilter;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Signs the calls of every {@link InternalCall} client (and of no other client). A signature covers the exact body
 * bytes, but a declarative client's body is still an object here: it is written to JSON now, with the same mapper
 * the client would use, and those bytes become the body, so what is signed is what is sent.
 */
@InternalCall
@ClientFilter
public final class InternalSecretClientFilter {

    private final InternalSettings settings;
    private final JsonMapper json;

    public InternalSecretClientFilter(InternalSettings settings, JsonMapper json) {
        this.settings = settings;
        this.json = json;
    }

    @RequestFilter
    void sign(MutableHttpRequest<?> request) {
        if (settings.hasSecret()) {
            settings.sign(request, bodyAsSent(request));
        }
    }

    @SuppressWarnings("unchecked")
    private byte[] bodyAsSent(MutableHttpRequest<?> request) {
        Optional<?> body = request.getBody();
        if (body.isEmpty()) {
            return new byte[0];
        }
        Object value = body.get();
        if (value instanceof byte[] bytes) {
            return bytes;
        }
        byte[] bytes;
        if (value instanceof CharSequence text) {
            bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        } else {
            try {
                bytes = json.writeValueAsBytes(value);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the body of " + request.getPath(), e);
            }
            if (request.getContentType().isEmpty()) {
                request.contentType(MediaType.APPLICATION_JSON_TYPE);
            }
        }
        ((MutableHttpRequest<Object>) request).body(bytes);
        return bytes;
    }
}
