package dev.livecounter.system;

import static dev.livecounter.system.PageClient.PLUS;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.livecounter.system.PageClient.Count;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * An operator resets a counter (the documented endpoint) or deletes its item under open pages (a raw DeleteItem):
 * the pages follow, presses count from zero, and online never goes below zero.
 */
@ExtendWith(LiveSystem.Running.class)
class OperatorResetIT {

    @Test
    void anOperatorResetShowsOnEveryPageAndPressesCountFromZero() {
        try (TwoPages pages = TwoPages.open("reset")) {
            PageClient watcher = pages.watcher();
            PageClient presser = pages.presser();
            presser.send(PLUS);
            presser.send(PLUS);
            watcher.awaitCount(c -> c.value() == 2);

            HttpResponse<String> reset = LiveSystem.internal("POST",
                    URI.create(LiveSystem.get().counterService().baseUri() + "/counters/" + pages.counter() + "/reset"), null);
            assertEquals(200, reset.statusCode(), reset.body());
            watcher.awaitCount("the reset on the page", c -> c.value() == 0);
            presser.send(PLUS);
            Count after = watcher.awaitCount("a press after the reset", c -> c.value() == 1);
            assertEquals(2, after.online(), "a reset leaves the open pages counted");
            assertEquals(2, after.visits());
            assertEquals(List.of(), watcher.versionViolations());
        }
    }

    @Test
    void aCounterDeletedUnderItsPagesKeepsThemLiveAndOnlineNeverGoesBelowZero() {
        String counter = LiveSystem.uniqueCounter("deleted");
        try (RawDynamoDb db = new RawDynamoDb(LiveSystem.get())) {
            PageClient watcher = PageClient.open(LiveSystem.replica(0), counter, null);
            PageClient presser = PageClient.open(LiveSystem.replica(1), counter, null);
            watcher.awaitCount(c -> c.online() == 2);
            for (int i = 0; i < 3; i++) {
                presser.send(PLUS);
            }
            watcher.awaitCount(c -> c.value() == 3);

            Map<String, AttributeValue> key = Map.of("name", AttributeValue.fromS(counter));
            db.client().deleteItem(r -> r.tableName(db.table("counters")).key(key));
            // a press never creates a counter, not even one deleted under its pages: it is refused, not applied
            presser.send(PLUS);
            presser.awaitError("unavailable");
            // a page's connect makes it again, newer than what the open pages hold, so they follow it
            PageClient back = PageClient.open(LiveSystem.replica(0), counter, null);
            watcher.awaitCount("the counter made again by a connect", c -> c.online() == 1 && c.value() == 0);
            presser.send(PLUS);
            watcher.awaitCount("a press on the counter made again, shown", c -> c.value() == 1);

            back.close();
            presser.close();
            watcher.close();
            org.awaitility.Awaitility.await("both closes processed").atMost(java.time.Duration.ofSeconds(20))
                    .until(() -> db.client().getItem(r -> r.tableName(db.table("counters")).key(key).consistentRead(true))
                            .item().get("version") != null);
            org.awaitility.Awaitility.await().pollDelay(java.time.Duration.ofSeconds(3)).until(() -> true);
            Map<String, AttributeValue> item = db.client()
                    .getItem(r -> r.tableName(db.table("counters")).key(key).consistentRead(true)).item();
            long online = item.containsKey("online") ? Long.parseLong(item.get("online").n()) : 0;
            assertEquals(0, online, "online of a counter deleted under two open pages, after all three closed: " + item);
        }
    }
}
