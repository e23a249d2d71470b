package dev.livecounter.system;

import static dev.livecounter.system.PageClient.PLUS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 22, finding 8: someone who has read one internal request cannot forge or repeat a change of a counter. A
 * post to a replica's {@code /internal/broadcast} with the plain secret header (what every internal call carried
 * before they were signed) is refused and no page shows its value; a genuinely signed post, captured and sent again
 * verbatim, is refused the second time.
 */
@ExtendWith(LiveSystem.Running.class)
class ForgedInternalCallsIT {

    /** Far above any version a write makes (millis x 1000): a page taking it would ignore every real change. */
    private static final long HUGE_VERSION = Long.MAX_VALUE / 2;
    private static final long FORGED_VALUE = 999_999;

    private static String snapshot(String counter, long value, long version) {
        return String.format(Locale.ROOT,
                "{\"counter\":\"%s\",\"visits\":1,\"online\":1,\"value\":%d,\"version\":%d,\"uniqueToday\":1}",
                counter, value, version);
    }

    private static URI broadcast(int replica) {
        return URI.create("http://127.0.0.1:" + LiveSystem.replica(replica) + "/internal/broadcast");
    }

    @Test
    void aForgedBroadcastWithThePlainSecretIsRefusedAndNoPageShowsIt() {
        String counter = LiveSystem.uniqueCounter("forged");
        try (PageClient page = PageClient.open(LiveSystem.replica(0), counter, null)) {
            page.awaitCount(c -> c.online() == 1);

            HttpResponse<String> forged = LiveSystem.send(HttpRequest.newBuilder(broadcast(0))
                    .header("X-Live-Counter-Secret", LiveSystem.get().internalSecret())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(snapshot(counter, FORGED_VALUE, HUGE_VERSION)))
                    .build());
            assertEquals(403, forged.statusCode(), forged.body());
            assertTrue(forged.body().contains("\"error\":\"forbidden\""), forged.body());

            // a real press after the refusal reaches the page: it was not frozen on a forged, newer version
            page.send(PLUS);
            page.awaitCount("the real press", c -> c.value() == 1);
            assertTrue(page.counts().stream().noneMatch(c -> c.value() == FORGED_VALUE || c.version() == HUGE_VERSION),
                    "no frame carried the forged count: " + page.counts());
        }
    }

    @Test
    void aSignedBroadcastCapturedAndSentAgainVerbatimIsRefused() {
        String counter = LiveSystem.uniqueCounter("replayed");
        try (PageClient page = PageClient.open(LiveSystem.replica(1), counter, null)) {
            page.awaitCount(c -> c.online() == 1);

            HttpRequest captured = LiveSystem.internalRequest("POST", broadcast(1), snapshot(counter, 7, HUGE_VERSION));
            HttpResponse<String> first = LiveSystem.send(captured);
            assertEquals(202, first.statusCode(), first.body());
            page.awaitCount("the genuine post", c -> c.value() == 7);

            HttpResponse<String> replayed = LiveSystem.send(captured);
            assertEquals(403, replayed.statusCode(), replayed.body());
            assertTrue(replayed.body().contains("signature already used"), replayed.body());
        }
    }
}
