package dev.livecounter.system;

import static dev.livecounter.system.PageClient.PLUS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.livecounter.system.PageClient.Count;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A press that counter-service applies after the broadcaster stopped waiting (a slow counter-service: queue wait and
 * up to eight conflict retries is a legitimate path) is not reported as failed, and a press the page sends again
 * with its id counts once.
 */
@ExtendWith(LiveSystem.Running.class)
class PressIT {

    /** Longer than the broadcaster's 5 s wait for counter-service. */
    private static final Duration SLOW = Duration.ofSeconds(7);

    @Test
    void aPressAppliedAfterTheTimeoutIsNotReportedAsFailed() {
        try (TwoPages pages = TwoPages.open("slowpress")) {
            PageClient watcher = pages.watcher();
            PageClient presser = pages.presser();
            sendWhileCounterServiceStalls(presser, PLUS);
            Count applied = watcher.awaitCount("the press applied once counter-service resumes", c -> c.value() == 1);
            assertEquals(0, presser.errors("unavailable"),
                    "the press was applied (value " + applied.value() + "), yet the page was told it did not go through");
            assertEquals(1, presser.errors("pending"), "the page is told the press is pending");
        }
    }

    @Test
    void aPressSentAgainWithItsIdCountsOnce() {
        String id = UUID.randomUUID().toString().replace("-", "");
        String press = "{\"action\":\"plus\",\"id\":\"" + id + "\"}";
        try (TwoPages pages = TwoPages.open("retrypress")) {
            PageClient watcher = pages.watcher();
            PageClient presser = pages.presser();
            sendWhileCounterServiceStalls(presser, press);
            // the page sends the unconfirmed press again, with its id, as often as it likes; then a new press
            presser.send(press);
            presser.send(press);
            presser.send("{\"id\":\"" + UUID.randomUUID().toString().replace("-", "") + "\",\"action\":\"plus\"}");
            watcher.awaitCount("both presses", c -> c.value() >= 2);
            await("the value stays at two presses").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                    .until(() -> watcher.latest().value() == 2);
            assertEquals(0, presser.errors("bad_request") + presser.errors("unavailable"), "every send was accepted");
        }
    }

    /**
     * Sends {@code press} while counter-service (both instances) is stalled for longer than the broadcaster waits: the page hears back
     * (pending) before the press is applied, once counter-service resumes.
     */
    private static void sendWhileCounterServiceStalls(PageClient presser, String press) {
        // every counter-service: a press one refuses or stalls on would otherwise go to the other
        try (Stall slow = Stall.of(LiveSystem.get().counterServices())) {
            presser.send(press);
            await("the broadcaster gives up waiting").atMost(SLOW).pollInterval(Duration.ofMillis(50))
                    .until(() -> presser.frames() > 0);
            await().pollDelay(SLOW.minusSeconds(5)).atMost(SLOW).until(() -> true);
        }
    }
}
