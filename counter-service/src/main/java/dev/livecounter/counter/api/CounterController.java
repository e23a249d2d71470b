package dev.livecounter.counter.api;

import dev.livecounter.common.model.CounterNames;
import dev.livecounter.common.counters.CounterPolicy;
import dev.livecounter.common.model.CounterSnapshot;
import dev.livecounter.counter.dynamodb.CounterAdmin;
import dev.livecounter.counter.dynamodb.CounterRepository;
import dev.livecounter.counter.dynamodb.Press;
import dev.livecounter.counter.dynamodb.PressBatcher;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Counter reads and the plus/minus route. Counters are created by their first change. */
@Controller("/counters")
@ExecuteOn(TaskExecutors.BLOCKING)
public class CounterController {

    private static final int MAX_PAGE = 100;

    private final CounterRepository counters;
    private final PressBatcher presses;
    private final CounterAdmin admin;
    private final CounterPolicy policy;

    CounterController(CounterRepository counters, PressBatcher presses, CounterAdmin admin, CounterPolicy policy) {
        this.counters = counters;
        this.admin = admin;
        this.presses = presses;
        this.policy = policy;
    }

    /** A snapshot: visits, online, value, version. */
    @Get("/{name}")
    CounterSnapshot get(String name) {
        return counters.read(valid(name));
    }

    /** +1; {@code press}: the page's id of this press, applied once however often it is sent (optional). */
    @Post("/{name}/increment")
    CompletableFuture<CounterSnapshot> increment(String name, @Nullable @QueryValue String press) {
        return presses.press(valid(name), press(1, press));
    }

    /** -1; {@code press} as for increment. */
    @Post("/{name}/decrement")
    CompletableFuture<CounterSnapshot> decrement(String name, @Nullable @QueryValue String press) {
        return presses.press(valid(name), press(-1, press));
    }

    private static Press press(long delta, @Nullable String id) {
        try {
            return new Press(delta, id);
        } catch (IllegalArgumentException e) {
            throw new HttpStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
        }
    }

    /**
     * Operator: sets the shared value back to zero ({@code ?visits=true}: the visits too); pages show it at once.
     * 404 for a counter that does not exist.
     */
    @Post("/{name}/reset")
    CounterSnapshot reset(String name, @QueryValue(defaultValue = "false") boolean visits) {
        CounterSnapshot reset = admin.reset(valid(name), visits);
        if (reset == null) {
            throw new HttpStatusException(HttpStatus.NOT_FOUND, "no counter " + name);
        }
        return reset;
    }

    /** Operator: deletes a counter no page has open (409 while some do, or when there is no such counter). */
    @Delete("/{name}")
    HttpResponse<?> delete(String name) {
        if (!admin.delete(valid(name))) {
            throw new HttpStatusException(HttpStatus.CONFLICT, "counter " + name + " is open on some page, or does not exist");
        }
        return HttpResponse.noContent();
    }

    /** Counters in pages; pass the answer's {@code next} as {@code after} for the following page. */
    @Get
    CounterPage list(@Nullable @QueryValue String after, @QueryValue(defaultValue = "50") int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new HttpStatusException(HttpStatus.BAD_REQUEST, "limit: 1 to " + MAX_PAGE);
        }
        CounterRepository.Page page = counters.list(after == null ? null : valid(after), limit);
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

    /** A page of counters and where the next begins (null at the end). */
    @Serdeable
    record CounterPage(List<CounterSnapshot> counters, @Nullable String next) {}
}
