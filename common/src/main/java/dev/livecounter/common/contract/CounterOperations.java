package dev.livecounter.common.contract;

import dev.livecounter.common.model.CounterSnapshot;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * counter-service's routes, written once: its controller implements this interface and the broadcaster's client
 * extends it. A counter is created by a page's connect (connection-service), never by a press; a bad name is 400, a
 * name not served 404.
 */
public interface CounterOperations {

    /** A snapshot: visits, online, value, version. */
    @Get("/counters/{name}")
    CompletableFuture<CounterSnapshot> get(String name);

    /**
     * +1; {@code press}: the page's id of this press, applied once however often it is sent (optional). 404
     * {@link ErrorCode#NO_COUNTER} for a counter deleted under its page: not applied.
     */
    @Post("/counters/{name}/increment")
    CompletableFuture<CounterSnapshot> increment(String name, @Nullable @QueryValue String press);

    /** -1; {@code press} as for increment. */
    @Post("/counters/{name}/decrement")
    CompletableFuture<CounterSnapshot> decrement(String name, @Nullable @QueryValue String press);

    /**
     * Operator: sets the shared value back to zero ({@code ?visits=true}: the visits too); pages show it at once.
     * 404 for a counter that does not exist.
     */
    @Post("/counters/{name}/reset")
    CounterSnapshot reset(String name, @QueryValue(defaultValue = "false") boolean visits);

    /** Operator: deletes a counter no page has open: 204 (409 while some do, or when there is no such counter). */
    @Delete("/counters/{name}")
    HttpResponse<Void> delete(String name);

    /** Counters in pages of 1 to 100; pass the answer's {@code next} as {@code after} for the following page. */
    @Get("/counters")
    CounterPage list(@Nullable @QueryValue String after, @QueryValue(defaultValue = "50") int limit);

    /** A page of counters and where the next begins (null at the end). */
    @Serdeable
    record CounterPage(List<CounterSnapshot> counters, @Nullable String next) {}
}
