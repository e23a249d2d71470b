package dev.livecounter.connection.api;

import dev.livecounter.common.contract.HistoryOperations;
import dev.livecounter.common.counters.CounterPolicy;
import dev.livecounter.common.model.History;
import dev.livecounter.common.model.HistoryQuery;
import dev.livecounter.connection.history.HistoryRepository;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * Reads of the history table this service writes (internal: the broadcaster's public API asks here, as it asks
 * counter-service for counters); the route is {@link HistoryOperations}.
 */
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
public final class HistoryController implements HistoryOperations {

    private final HistoryRepository history;
    private final CounterPolicy policy;

    public HistoryController(HistoryRepository history, CounterPolicy policy) {
        this.history = history;
        this.policy = policy;
    }

    @Override
    public CompletableFuture<History> read(
            String counter, @Nullable String resolution, @Nullable String from, @Nullable String to) {
        String refusal = policy.refusal(counter);
        if (refusal != null) {
            throw new HttpStatusException(HttpStatus.BAD_REQUEST, refusal);
        }
        try {
            return CompletableFuture.completedFuture(
                    history.read(counter, HistoryQuery.parse(resolution, from, to, Instant.now())));
        } catch (HistoryQuery.Invalid invalid) {
            throw new HttpStatusException(HttpStatus.BAD_REQUEST, invalid.getMessage());
        }
    }
}
