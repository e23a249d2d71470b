package dev.livecounter.broadcaster.readapi;

import dev.livecounter.broadcaster.client.CounterServiceClient;
import dev.livecounter.broadcaster.client.HistoryClient;
import dev.livecounter.broadcaster.protocol.Frames;
import dev.livecounter.common.contract.ErrorCode;
import dev.livecounter.common.model.CounterNames;
import dev.livecounter.common.counters.CounterPolicy;
import dev.livecounter.common.model.HistoryQuery;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The public read API: a counter as a count frame shows it, and its visits over time. Reads go where the data
 * is owned: counters to counter-service, history to connection-service (which writes it).
 */
@Controller(ReadApiController.PATH)
public final class ReadApiController {

    /** Where the API lives; the ingress routes it. */
    public static final String PATH = "/api";

    private static final Logger LOG = LoggerFactory.getLogger(ReadApiController.class);

    private final CounterServiceClient counters;
    private final HistoryClient history;
    private final CounterPolicy policy;

    ReadApiController(CounterServiceClient counters, HistoryClient history, CounterPolicy policy) {
        this.counters = counters;
        this.history = history;
        this.policy = policy;
    }

    /** The same fields as a count frame. */
    @Get(value = "/counters/{name}", produces = MediaType.APPLICATION_JSON)
    CompletableFuture<MutableHttpResponse<?>> counter(String name) {
        MutableHttpResponse<?> refused = refuse(name);
        if (refused != null) {
            return CompletableFuture.completedFuture(refused);
        }
        return counters.get(name).<MutableHttpResponse<?>>thenApply(snapshot -> HttpResponse.ok(Frames.count(snapshot))
                        .contentType(MediaType.APPLICATION_JSON_TYPE))
                .exceptionally(ReadApiController::unavailable);
    }

    /** Buckets in time order, empty ones as zeros; see {@link HistoryQuery} for the bounds. */
    @Get(value = "/counters/{name}/history", produces = MediaType.APPLICATION_JSON)
    CompletableFuture<MutableHttpResponse<?>> history(
            String name,
            @Nullable @QueryValue String resolution,
            @Nullable @QueryValue String from,
            @Nullable @QueryValue String to) {
        MutableHttpResponse<?> refused = refuse(name);
        if (refused != null) {
            return CompletableFuture.completedFuture(refused);
        }
        HistoryQuery query;
        try {
            query = HistoryQuery.parse(resolution, from, to, Instant.now());
        } catch (HistoryQuery.Invalid invalid) {
            return CompletableFuture.completedFuture(
                    error(HttpStatus.BAD_REQUEST, ErrorCode.BAD_REQUEST, invalid.getMessage()));
        }
        return history.read(name, query.resolution().id(), query.first().toString(), query.last().toString())
                .<MutableHttpResponse<?>>thenApply(HttpResponse::ok)
                .exceptionally(ReadApiController::historyFailed);
    }

    @Nullable
    private MutableHttpResponse<?> refuse(String name) {
        String refusal = policy.refusal(name);
        if (refusal == null) {
            return null;
        }
        return CounterNames.isValid(name)
                ? error(HttpStatus.NOT_FOUND, ErrorCode.COUNTER_NOT_ALLOWED, refusal)
                : error(HttpStatus.BAD_REQUEST, ErrorCode.BAD_COUNTER, refusal);
    }

    /**
     * connection-service checks the query again against its own clock: one this side let through at the edge of
     * what is kept can be refused there a moment later. That is still the client's query, so a 400, not a 503.
     */
    private static MutableHttpResponse<?> historyFailed(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof HttpClientResponseException refused && refused.getStatus() == HttpStatus.BAD_REQUEST) {
            return error(HttpStatus.BAD_REQUEST, ErrorCode.BAD_REQUEST,
                    "the query is outside what is kept: " + refused.getMessage());
        }
        return unavailable(error);
    }

    private static MutableHttpResponse<?> unavailable(Throwable error) {
        LOG.warn("API read failed: {}", error.toString());
        return error(HttpStatus.SERVICE_UNAVAILABLE, ErrorCode.UNAVAILABLE, "the data could not be read; try again");
    }

    private static MutableHttpResponse<?> error(HttpStatus status, ErrorCode code, String message) {
        return HttpResponse.status(status).body(code.body(message));
    }
}
