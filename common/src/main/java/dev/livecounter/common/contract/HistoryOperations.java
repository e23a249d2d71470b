package dev.livecounter.common.contract;

import dev.livecounter.common.model.History;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import java.util.concurrent.CompletableFuture;

/**
 * Reads of the history table, which connection-service writes: implemented by its controller, extended by the
 * broadcaster's client (the public {@code GET /api/counters/{name}/history} asks here).
 */
public interface HistoryOperations {

    /**
     * Same parameters as the public API; {@code from} and {@code to} are ISO-8601 instants. 200; 400 for a bad
     * counter or parameter.
     */
    @Get("/history/{counter}")
    CompletableFuture<History> read(
            String counter,
            @Nullable @QueryValue String resolution,
            @Nullable @QueryValue String from,
            @Nullable @QueryValue String to);
}
