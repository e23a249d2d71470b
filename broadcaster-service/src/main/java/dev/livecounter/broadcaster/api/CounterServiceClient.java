package dev.livecounter.broadcaster.api;

import dev.livecounter.common.model.CounterSnapshot;
import dev.livecounter.common.security.InternalSecretFilter;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.client.annotation.Client;
import java.util.concurrent.CompletableFuture;

/** The plus/minus route integration. */
@Client("${livecounter.broadcaster.counter-service-url}")
@Header(name = InternalSecretFilter.HEADER, value = "${livecounter.internal.secret:}")
public interface CounterServiceClient {

    /** A snapshot, for the public read API. */
    @Get("/counters/{name}")
    CompletableFuture<CounterSnapshot> get(String name);

    /** {@code press}: the page's id of this press (null: none), so that counter-service applies it once. */
    @Post("/counters/{name}/increment")
    CompletableFuture<CounterSnapshot> increment(String name, @Nullable @QueryValue String press);

    @Post("/counters/{name}/decrement")
    CompletableFuture<CounterSnapshot> decrement(String name, @Nullable @QueryValue String press);
}
