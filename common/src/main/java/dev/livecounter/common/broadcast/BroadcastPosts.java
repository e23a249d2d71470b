package dev.livecounter.common.broadcast;

import dev.livecounter.common.contract.ReplicaOperations;
import dev.livecounter.common.model.CounterSnapshot;
import dev.livecounter.common.security.InternalSettings;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import reactor.core.publisher.Mono;

/**
 * Posts a counter as a write left it to one broadcaster replica's {@link ReplicaOperations#BROADCAST} endpoint (or
 * a batch of table changes to {@link ReplicaOperations#TABLE_CHANGES}), signed as an internal call: how connection-service reaches every replica, and a replica its peers, without
 * waiting for the stream. The body is written to JSON here, because the signature covers its exact bytes.
 */
@Singleton
public final class BroadcastPosts {

    private final HttpClient http;
    private final InternalSettings internal;
    private final JsonMapper json;

    public BroadcastPosts(@Client HttpClient http, InternalSettings internal, JsonMapper json) {
        this.http = http;
        this.internal = internal;
        this.json = json;
    }

    /** Completes when the replica took it; exceptionally when it did not (the stream still brings the change). */
    public CompletableFuture<Void> post(URI replica, CounterSnapshot snapshot) {
        byte[] body;
        try {
            body = json.writeValueAsBytes(snapshot);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        return post(replica, ReplicaOperations.BROADCAST, body);
    }

    /** Posts a JSON body, signed, to one of the replica's internal endpoints; completes when the replica took it. */
    public CompletableFuture<Void> post(URI replica, String path, byte[] body) {
        HttpRequest<byte[]> post = internal.sign(
                HttpRequest.POST(replica.resolve(path), body).contentType(MediaType.APPLICATION_JSON_TYPE), body);
        return Mono.from(http.exchange(post)).then().toFuture();
    }
}
