package dev.livecounter.system;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One address gets its fair share of every budget, the same with two replicas as with one: the read API's rate,
 * the sockets it may hold, and the visitor ids it may bring a minute as unique visitors.
 */
@ExtendWith(LiveSystem.Running.class)
class FairShareIT {

    /** The defaults: read API burst, sockets per address, visitor ids per address and minute. */
    private static final int API_BURST = 30;
    private static final int API_PER_SECOND = 5;
    private static final int SOCKETS_PER_ADDRESS = 50;
    private static final int VISITORS_PER_MINUTE = 30;

    @RegisterExtension
    final OpenPages pages = new OpenPages();

    @Test
    void theReadApiLimitHoldsForTheFleetNotPerReplica() throws Exception {
        String address = PageClient.uniqueAddress();
        String counter = LiveSystem.uniqueCounter("fleetapi");
        pages.add(PageClient.open(LiveSystem.replica(0), counter, null)).awaitCount(c -> c.online() == 1);
        int sent = 4 * API_BURST;
        int answered = 0;
        long started = System.nanoTime();
        for (int i = 0; i < sent; i++) {
            HttpResponse<String> response = LiveSystem.send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + LiveSystem.replica(i % 2) + "/api/counters/" + counter))
                    .header(LiveSystem.CLIENT_IP_HEADER, address).build());
            assertTrue(response.statusCode() == 200 || response.statusCode() == 429, response.toString());
            answered += response.statusCode() == 200 ? 1 : 0;
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        // the burst, what the rate refilled meanwhile, and one token of rounding per replica
        long allowed = API_BURST + (long) Math.ceil(API_PER_SECOND * seconds) + 2;
        assertTrue(answered <= allowed, answered + " of " + sent + " requests answered over two replicas in "
                + String.format("%.1f", seconds) + " s; the limit allows " + allowed + " for the whole fleet");
        assertTrue(answered >= API_BURST - 2, "the burst is served: " + answered);
    }

    @Test
    void oneAddressHoldsItsSocketLimitOverBothReplicasTogether() {
        String counter = LiveSystem.uniqueCounter("fleetsockets");
        String address = PageClient.uniqueAddress();
        int held = 0;
        // open and hold sockets on the two replicas, as a round-robin ingress spreads them, until both refuse
        for (PageClient page; held < 3 * SOCKETS_PER_ADDRESS && (page = openOnEither(counter, address, held)) != null; held++) {
            pages.add(page);
        }
        assertEquals(SOCKETS_PER_ADDRESS, held, "sockets one address holds over two replicas");
    }

    /**
     * A socket on either replica (the {@code turn}'s first), waiting out the connect rate; null when both refuse
     * for three seconds, longer than the rate takes to let one through: the socket limit.
     */
    private static PageClient openOnEither(String counter, String address, int turn) {
        PageClient[] opened = new PageClient[1];
        try {
            await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(50)).until(() -> {
                for (int r = 0; r < 2 && opened[0] == null; r++) {
                    URI uri = URI.create("ws://127.0.0.1:" + LiveSystem.replica((turn + r) % 2) + "/ws?counter=" + counter);
                    try {
                        opened[0] = PageClient.open(uri, null, address);
                    } catch (java.util.concurrent.CompletionException refused) {
                        // 429: the rate or the socket limit
                    }
                }
                return opened[0] != null;
            });
            return opened[0];
        } catch (org.awaitility.core.ConditionTimeoutException bothRefuse) {
            return null;
        }
    }

    @Test
    void newVisitorIdsFromOneAddressCountAsUniqueOnlyUpToItsShare() throws Exception {
        String counter = LiveSystem.uniqueCounter("inflate");
        String address = PageClient.uniqueAddress();
        long firstMinute = Instant.now().getEpochSecond() / 60;
        int visits = VISITORS_PER_MINUTE + 20;
        for (int i = 0; i < visits; i++) {
            URI uri = URI.create("ws://127.0.0.1:" + LiveSystem.replica(i % 2) + "/ws?counter=" + counter
                    + "&visitor=fake" + UUID.randomUUID().toString().replace("-", ""));
            PageClient page = PageClient.openWithinConnectRate(uri, address);
            page.awaitCount(c -> c.visits() >= 1);
            page.close();
        }
        long minutes = Instant.now().getEpochSecond() / 60 - firstMinute + 1;
        JsonNode count = await("every visit counted").atMost(Duration.ofSeconds(30)).until(
                () -> PageClient.JSON.readTree(LiveSystem.send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + LiveSystem.replica(0) + "/api/counters/" + counter)).build()).body()),
                node -> node.path("visits").asLong() == visits);
        long unique = count.path("uniqueToday").asLong();
        assertTrue(unique <= (long) VISITORS_PER_MINUTE * minutes,
                visits + " visits with fresh visitor ids from one address in " + minutes + " minute(s) counted "
                        + unique + " unique visitors; at most " + VISITORS_PER_MINUTE + " a minute may count");
        assertTrue(unique >= VISITORS_PER_MINUTE / 2, "an address's share counts: " + unique);
    }
}
