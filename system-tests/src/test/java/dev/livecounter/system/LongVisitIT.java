package dev.livecounter.system;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.livecounter.system.PageClient.Count;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A page open longer than the visit window and the connection TTL (shortened to {@link LiveSystem#SHORT_TTL} in the
 * system under test; 30 minutes and a day in production): its reconnect after a blip or a rolling restart is not a
 * new visit, and its close still takes it off online after DynamoDB's TTL process has run.
 */
@ExtendWith(LiveSystem.Running.class)
class LongVisitIT {

    @Test
    void aSocketOpenPastTheVisitWindowAndTheTtlKeepsItsVisitAndLeavesTheCountWhenItCloses() {
        String counter = LiveSystem.uniqueCounter("longvisit");
        String visit = "long-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        try (PageClient watcher = PageClient.open(LiveSystem.replica(0), counter, null);
                RawDynamoDb db = new RawDynamoDb(LiveSystem.get())) {
            PageClient longOpen = PageClient.open(LiveSystem.replica(1), counter, visit);
            PageClient dayLong = PageClient.open(LiveSystem.replica(1), counter, null);
            watcher.awaitCount(c -> c.online() == 3 && c.visits() == 3);

            // the pages stay open past the window and the TTL
            Duration past = LiveSystem.SHORT_TTL.plusSeconds(10);
            await().pollDelay(past).atMost(past.plusSeconds(1)).until(() -> true);

            // DynamoDB's TTL process runs; then the long socket closes: online drops although its connect is
            // older than the connection TTL
            db.expireConnectionsPastTheirTtl();
            dayLong.close();
            Count closed = watcher.awaitCount("the long socket's close", Duration.ofSeconds(15), c -> c.online() == 2);
            assertEquals(3, closed.visits());

            // a network blip: the long-open page reconnects with its visit id
            longOpen.close();
            watcher.awaitCount("the blip's close", c -> c.online() == 1);
            PageClient back = PageClient.open(LiveSystem.replica(0), counter, visit);
            Count reconnected = watcher.awaitCount("the page back", c -> c.online() == 2);
            assertEquals(3, reconnected.visits(), "a page open longer than the visit window reconnected: not a new visit");
            back.close();
        }
    }
}
