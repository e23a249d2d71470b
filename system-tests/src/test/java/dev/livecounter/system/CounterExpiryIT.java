package dev.livecounter.system;

import static dev.livecounter.system.PageClient.PLUS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Unused counters expire: every counter carries a TTL ({@link LiveSystem#COUNTER_EXPIRY} here, 30 days in
 * production) that its connects and presses renew, and so do its open sockets' lease renewals. After the TTL has
 * passed and DynamoDB's TTL process has run, a counter nobody has open is gone, one with a page open is kept and
 * still works.
 */
@ExtendWith(LiveSystem.Running.class)
class CounterExpiryIT {

    @Test
    void aCounterNobodyUsesExpiresAndOneInUseIsKept() throws Exception {
        String kept = LiveSystem.uniqueCounter("kept");
        String idle = LiveSystem.uniqueCounter("idle");
        try (PageClient open = PageClient.open(LiveSystem.replica(0), kept, null);
                RawDynamoDb db = new RawDynamoDb(LiveSystem.get())) {
            open.awaitCount(c -> c.online() == 1);
            PageClient once = PageClient.open(LiveSystem.replica(1), idle, null);
            once.awaitCount(c -> c.online() == 1);
            once.close();
            await("the idle counter's page off it").atMost(Duration.ofSeconds(15))
                    .until(() -> counter(idle).path("online").asLong() == 0);

            assertTrue(db.counterExists(idle), "the idle counter was made by its page");
            Duration past = LiveSystem.COUNTER_EXPIRY.plusSeconds(6);
            await().pollDelay(past).atMost(past.plusSeconds(1)).until(() -> true);

            // DynamoDB's TTL process (which DynamoDB Local may or may not have run by now)
            db.expireCounterIfPastItsTtl(idle);
            assertFalse(db.expireCounterIfPastItsTtl(kept), "a counter with a page open is renewed");
            assertFalse(db.counterExists(idle), "a counter nobody used for its TTL is gone");
            assertTrue(db.counterExists(kept), "a counter with a page open is kept");
            open.send(PLUS);
            open.awaitCount("the kept counter still works", c -> c.value() == 1 && c.online() == 1);
        }
    }

    private static com.fasterxml.jackson.databind.JsonNode counter(String name) throws Exception {
        URI uri = LiveSystem.get().counterService().baseUri().resolve("/counters/" + name);
        return PageClient.JSON.readTree(LiveSystem.internal("GET", uri, null).body());
    }
}
