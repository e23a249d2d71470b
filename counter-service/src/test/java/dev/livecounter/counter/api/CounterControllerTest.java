package dev.livecounter.counter.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.livecounter.common.counters.CounterPolicy;
import dev.livecounter.counter.LocalCounters;
import dev.livecounter.counter.config.PressSettings;
import dev.livecounter.counter.presses.NoSuchCounter;
import dev.livecounter.counter.presses.PressBatcher;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.exceptions.HttpStatusException;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The routes' checks and answers, called as the router calls them, over DynamoDB Local. */
class CounterControllerTest {

    private final LocalCounters local = new LocalCounters();
    private final PressBatcher presses =
            new PressBatcher(local.presses, new SimpleMeterRegistry(), new PressSettings(1000, 2));
    private final CounterController controller = new CounterController(local.counters, presses, local.admin,
            new CounterPolicy(List.of("home", "allowed-only")));

    @AfterEach
    void stop() {
        presses.stop();
    }

    private static HttpStatus status(Runnable call) {
        return assertThrows(HttpStatusException.class, call::run).getStatus();
    }

    @Test
    void aCounterNobodyTouchedReadsAsZerosAtVersionZero() {
        assertEquals(0, controller.get("home").join().version());
    }

    @Test
    void aBadNameIs400AndANameNotServed404() {
        assertEquals(HttpStatus.BAD_REQUEST, status(() -> controller.get("no spaces")));
        assertEquals(HttpStatus.NOT_FOUND, status(() -> controller.get("not-allowed")));
    }

    @Test
    void pressesCountOnAnExistingCounterAndAreRefusedOnAMissingOne() {
        local.create("home");
        assertEquals(1, controller.increment("home", "p1").join().value());
        assertEquals(0, controller.decrement("home", null).join().value());
        assertEquals(HttpStatus.BAD_REQUEST, status(() -> controller.increment("home", "bad id")));

        CompletionException missing = assertThrows(CompletionException.class,
                () -> controller.increment("allowed-only", "p2").join());
        assertInstanceOf(NoSuchCounter.class, missing.getCause(), "404 no_counter, by its handler");
    }

    @Test
    void theOperatorsRoutesAnswerWhatTheyDid() {
        assertEquals(HttpStatus.NOT_FOUND, status(() -> controller.reset("home", false)));
        local.create("home");
        assertEquals(0, controller.reset("home", true).visits());
        assertEquals(HttpStatus.CONFLICT, status(() -> controller.delete("home")), "a page has it open");
        assertEquals(HttpStatus.BAD_REQUEST, status(() -> controller.list(null, 0)));
        assertEquals(HttpStatus.BAD_REQUEST, status(() -> controller.list(null, 101)));
        assertEquals(List.of("home"), controller.list(null, 100).counters().stream().map(c -> c.counter()).toList());
    }
}
