package dev.livecounter.common.security;

import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.annotation.ClientFilter;
import io.micronaut.http.annotation.RequestFilter;

/** Adds the shared secret to the calls of every {@link InternalCall} client (and of no other client). */
@InternalCall
@ClientFilter
public record InternalSecretClientFilter(InternalSettings settings) {

    @RequestFilter
    void sign(MutableHttpRequest<?> request) {
        settings.sign(request);
    }
}
