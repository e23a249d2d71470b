package dev.livecounter.system;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livecounter.local.LocalStack;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Without an allow-list, strangers cannot create counters without end: past the budget of new counters a minute, a
 * socket on a name that is not a counter gets {@code counter_limit} and a close before anything is written, while
 * existing counters are still served. Its own system, with the default budget (the shared one lifts it for its many
 * test counters).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CounterCreationIT {

    private static final int BUDGET = 30;
    /** The default share of the budget one address may take a minute. */
    private static final int SHARE = 3;
    /** As behind the ingress: each test client is told apart by the address header PageClient sets. */
    @RegisterExtension
    static final OwnStack stack = new OwnStack(b -> b.broadcasters(1)
            .broadcasterEnv("LIVECOUNTER_LIMITS_CLIENT_IP_HEADER", LiveSystem.CLIENT_IP_HEADER));

    @Test
    @Order(1)
    void aStrangerCannotCreateCountersWithoutEnd() {
        int port = stack.get().broadcaster(0).port();
        String existing = "existing-" + UUID.randomUUID().toString().substring(0, 8);
        // the budget is per calendar minute: start early in one, so the run spans one (two at most, allowed for)
        long second = Instant.now().getEpochSecond() % 60;
        if (second > 40) {
            sleep(Duration.ofSeconds(61 - second));
        }
        long firstMinute = Instant.now().getEpochSecond() / 60;
        List<PageClient> open = new ArrayList<>();
        try {
            PageClient first = PageClient.open(port, existing, null);
            open.add(first);
            first.awaitCount("the existing counter served", c -> c.online() == 1);
            int created = 0;
            int refused = 0;
            for (int i = 0; i < 60; i++) {
                URI uri = URI.create("ws://127.0.0.1:" + port + "/ws?counter=spam-" + i + "-"
                        + UUID.randomUUID().toString().substring(0, 6));
                // each from an address of its own: the per-address limits are not what stops it
                PageClient page = PageClient.open(uri, null, PageClient.uniqueAddress());
                if (served(page, i)) {
                    created++;
                } else {
                    assertEquals(1008, page.closed().join(), "a refused socket is closed so that it backs off");
                    refused++;
                }
                page.close();
            }
            long minutes = Instant.now().getEpochSecond() / 60 - firstMinute + 1;
            // the existing counter took one of the first minute's budget
            assertTrue(created <= BUDGET * minutes - 1,
                    "at most the default " + BUDGET + " new counters a minute: " + created + " created");
            assertTrue(refused >= 60 - (BUDGET * minutes - 1), "the rest refused: " + refused);
            // an existing counter is still served past the budget
            PageClient again = PageClient.open(port, existing, null);
            open.add(again);
            again.awaitCount("the existing counter still served", c -> c.online() == 2);
            try (RawDynamoDb db = new RawDynamoDb(stack.get())) {
                int items = db.client().scanPaginator(r -> r.tableName(db.table("counters"))).items().stream()
                        .mapToInt(item -> 1).sum();
                assertTrue(items <= BUDGET * minutes, "counters items written: " + items);
            }
        } finally {
            open.forEach(PageClient::close);
        }
    }

    /**
     * One address tries to take the whole minute's budget (as fast as its connect limit lets it) while another
     * creates a counter: the first gets its share, the other its counter. Runs after the test above, in a minute of
     * its own, so the two do not draw on one minute's budget.
     */
    @Test
    @Order(2)
    void oneAddressTakesOnlyItsShareWhileOthersStillCreateCounters() {
        int port = stack.get().broadcaster(0).port();
        long before = Instant.now().getEpochSecond() / 60;
        await("a fresh minute").atMost(Duration.ofSeconds(70)).until(() -> Instant.now().getEpochSecond() / 60 > before);
        long firstMinute = Instant.now().getEpochSecond() / 60;
        String stranger = PageClient.uniqueAddress();
        int created = 0;
        for (int i = 0; i < BUDGET; i++) {
            URI uri = URI.create("ws://127.0.0.1:" + port + "/ws?counter=grab-" + i + "-"
                    + UUID.randomUUID().toString().substring(0, 6));
            PageClient page = PageClient.openWithinConnectRate(uri, stranger);
            if (served(page, i)) {
                created++;
            }
            page.close();
        }
        long minutes = Instant.now().getEpochSecond() / 60 - firstMinute + 1;
        assertTrue(created <= SHARE * minutes, "one address created " + created + " of " + BUDGET + " tried, in "
                + minutes + " minute(s); its share is " + SHARE + " a minute");
        try (PageClient other = PageClient.open(URI.create("ws://127.0.0.1:" + port + "/ws?counter=mine-"
                + UUID.randomUUID().toString().substring(0, 6)), null, PageClient.uniqueAddress())) {
            await("another address's new counter").atMost(Duration.ofSeconds(10))
                    .until(() -> other.latest() != null || !other.isOpen());
            assertEquals(1, other.awaitCount("another address's new counter served", c -> c.online() == 1).visits(),
                    "another address still creates its counter: errors " + other.errors("counter_limit"));
        }
    }

    /** Whether the socket on a new counter was served; if it was refused, it was told why. */
    private static boolean served(PageClient page, int i) {
        await("socket " + i + " served or refused").atMost(Duration.ofSeconds(10))
                .until(() -> page.latest() != null || !page.isOpen());
        if (page.latest() != null) {
            return true;
        }
        assertEquals(1, page.errors("counter_limit"), "a refused socket is told why");
        return false;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
