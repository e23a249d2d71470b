package dev.livecounter.broadcaster.api;

import dev.livecounter.common.model.History;
import dev.livecounter.common.security.InternalSecretFilter;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.client.annotation.Client;
import java.util.concurrent.CompletableFuture;

/** Reads of the history table, from connection-service, which writes it. */
@Client("${livecounter.broadcaster.connection-service-url}")
@Header(name = InternalSecretFilter.HEADER, value = "${livecounter.internal.secret:}")
public interface HistoryClient {

    /** {@code from} and {@code to} are ISO-8601 instants, already checked. */
    @Get("/history/{counter}")
    CompletableFuture<History> read(String counter, @QueryValue String resolution, @QueryValue String from,
            @QueryValue String to);
}
