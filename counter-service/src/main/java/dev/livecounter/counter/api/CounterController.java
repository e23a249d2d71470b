package dev.livecounter.counter.api;

import dev.livecounter.common.contract.CounterOperations;
import dev.livecounter.common.counters.CounterPolicy;
import dev.livecounter.common.counters.CounterStore;
import dev.livecounter.common.model.CounterNames;
import dev.livecounter.common.model.CounterSnapshot;
import dev.livecounter.counter.admin.CounterAdmin;
import dev.livecounter.counter.presses.Press;
import dev.livecounter.counter.presses.PressBatcher;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.concurrent.CompletableFuture;

/**
 * Counter reads, the plus/minus route and the operator's routes ({@link CounterOperations}). The routes that call
 * DynamoDB themselves run on the blocking executor; a press only joins its counter's lane ({@link PressBatcher}), so
 * it stays on the event loop that read it and goes to a committer with no thread between.
 */
@Controller
public final class CounterController implements CounterOperations {

    private static final int MAX_PAGE = 100;

    private final CounterStore counters;
    private final PressBatcher presses;
    private final CounterAdmin admin;
    private final CounterPolicy policy;

    public CounterController(CounterStore counters, PressBatcher presses, CounterAdmin admin, CounterPolicy policy) {
        this.counters = counters;
        this.presses = presses;
        this.admin = admin;
        this.policy = policy;
    }

    @Override
    @ExecuteOn(TaskExecutors.BLOCKING)
    public CompletableFuture<CounterSnapshot> get(String name) {
        return CompletableFuture.completedFuture(counters.read(valid(name)));
    }

    @Override
    public CompletableFuture<CounterSnapshot> increment(String name, @Nullable String press) {
        return presses.press(valid(name), press(1, press));
    }

    @Override
    public CompletableFuture<CounterSnapshot> decrement(String name, @Nullable String press) {
        return presses.press(valid(name), press(-1, press));
    }

    private static Press press(long delta, @Nullable String id) {
        try {
            return new Press(delta, id);
        } catch (IllegalArgumentException e) {
            throw new HttpStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
        }
    }

    @Override
    @ExecuteOn(TaskExecutors.BLOCKING)
    public CounterSnapshot reset(String name, boolean visits) {
        CounterSnapshot reset = admin.reset(valid(name), visits);
        if (reset == null) {
            throw new HttpStatusException(HttpStatus.NOT_FOUND, "no counter " + name);
        }
        return reset;
    }

    @Override
    @ExecuteOn(TaskExecutors.BLOCKING)
    public HttpResponse<Void> delete(String name) {
        if (!admin.delete(valid(name))) {
            throw new HttpStatusException(HttpStatus.CONFLICT, "counter " + name + " is open on some page, or does not exist");
        }
        return HttpResponse.noContent();
    }

    @Override
    @ExecuteOn(TaskExecutors.BLOCKING)
    public CounterPage list(@Nullable String after, int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new HttpStatusException(HttpStatus.BAD_REQUEST, "limit: 1 to " + MAX_PAGE);
        }
        CounterAdmin.Page page = admin.list(after == null ? null : valid(after), limit);
        return new CounterPage(page.counters(), page.next());
    }

    private String valid(String name) {
        String refusal = policy.refusal(name);
        if (refusal != null) {
            throw new HttpStatusException(
                    CounterNames.isValid(name) ? HttpStatus.NOT_FOUND : HttpStatus.BAD_REQUEST, refusal);
        }
        return name;
    }
}
