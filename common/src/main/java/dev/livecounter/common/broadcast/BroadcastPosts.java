package dev.livecounter.common.broadcast;

import dev.livecounter.common.contract.ReplicaOperations;
import dev.livecounter.common.model.CounterSnapshot;
import dev.livecounter.common.security.InternalSettings;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import jakarta.inject.Singleton;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import reactor.core.publisher.Mono;

/**
 * Posts a counter as a write left it to one broadcaster replica's {@link ReplicaOperations#BROADCAST} endpoint,
 * signed as an internal call: how connection-service reaches every replica, and a replica its peers, without
 * waiting for the stream.
 */
@Singleton
public record BroadcastPosts(@Client HttpClient http, InternalSettings internal) {

    /** Completes when the replica took it; exceptionally when it did not (the stream still brings the change). */
    public CompletableFuture<Void> post(URI replica, CounterSnapshot snapshot) {
        HttpRequest<CounterSnapshot> post =
                internal.sign(HttpRequest.POST(replica.resolve(ReplicaOperations.BROADCAST), snapshot));
        return Mono.from(http.exchange(post)).then().toFuture();
    }
}
