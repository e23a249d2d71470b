package dev.livecounter.system;

import static dev.livecounter.system.PageClient.PLUS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livecounter.system.PageClient.Count;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The live loop end to end: socket opens, visit counted once, DynamoDB stream, every page on every replica.
 * Two broadcaster replicas; each test uses its own counter.
 */
@ExtendWith(LiveSystem.Running.class)
class LiveLoopIT {

    @RegisterExtension
    final OpenPages pages = new OpenPages();

    private PageClient open(int replica, String counter) {
        return open(replica, counter, null);
    }

    private PageClient open(int replica, String counter, String visit) {
        return pages.open(LiveSystem.replica(replica), counter, visit);
    }

    @Test
    void newSocketGetsASnapshotAtOnce() {
        String counter = LiveSystem.uniqueCounter("snapshot");
        PageClient page = open(0, counter);
        Count first = page.awaitCount(c -> true);
        // a new counter's first version is made from the time (so a counter re-created after a delete is newer
        // than anything its pages hold), not 1
        assertEquals(new Count(counter, 1, 1, 0, first.version()), first, "its own visit and socket are already counted");
        org.junit.jupiter.api.Assertions.assertTrue(first.version() > 0);
    }

    @Test
    void connectOnOneReplicaReachesPagesOnTheOther() {
        String counter = LiveSystem.uniqueCounter("connect");
        PageClient onReplica2 = open(1, counter);
        Count before = onReplica2.awaitCount(c -> c.online() == 1);
        open(0, counter);
        Count after = onReplica2.awaitCount("the other replica's connect", c -> c.online() == 2);
        assertEquals(before.visits() + 1, after.visits());
        assertEquals(before.online() + 1, after.online());
    }

    @Test
    void closeDropsOnlineByOneEverywhere() {
        String counter = LiveSystem.uniqueCounter("close");
        PageClient a = open(0, counter);
        PageClient b = open(1, counter);
        PageClient leaving = open(1, counter);
        a.awaitCount(c -> c.online() == 3);
        b.awaitCount(c -> c.online() == 3);
        leaving.close();
        Count onA = a.awaitCount("online back to 2", c -> c.online() == 2);
        Count onB = b.awaitCount("online back to 2", c -> c.online() == 2);
        assertEquals(3, onA.visits(), "closing a page does not change visits");
        assertEquals(onA, onB, "both replicas show the same counter");
    }

    @Test
    void plusAndMinusFromReplica2ReachReplica1() {
        String counter = LiveSystem.uniqueCounter("plus");
        PageClient watcher = open(0, counter);
        PageClient presser = open(1, counter);
        watcher.awaitCount(c -> c.online() == 2);
        presser.send(PLUS);
        presser.send(PLUS);
        presser.send(PLUS);
        assertEquals(3, watcher.awaitCount("three presses", c -> c.value() == 3).value());
        presser.send("{\"action\":\"minus\"}");
        Count last = watcher.awaitCount("a minus", c -> c.value() == 2);
        assertEquals(2, last.visits(), "presses are not visits");
        assertEquals(last, presser.awaitCount(c -> c.version() == last.version()));
    }

    @Test
    void reconnectWithTheSameVisitIsNotANewVisit() {
        String counter = LiveSystem.uniqueCounter("reconnect");
        String visit = UUID.randomUUID().toString();
        PageClient watcher = open(0, counter);
        PageClient first = open(0, counter, visit);
        watcher.awaitCount(c -> c.visits() == 2 && c.online() == 2);
        first.close();
        watcher.awaitCount(c -> c.online() == 1);
        // the same page load comes back, on the other replica as after a replica restart
        PageClient again = open(1, counter, visit);
        Count back = again.awaitCount(c -> c.online() == 2);
        assertEquals(2, back.visits(), "a reconnect adds a socket, not a visit");
        assertEquals(2, watcher.awaitCount(c -> c.online() == 2).visits());
    }

    @Test
    void repeatedConnectAndDisconnectCallsChangeNoCount() {
        String counter = LiveSystem.uniqueCounter("retry");
        PageClient watcher = open(0, counter);
        watcher.awaitCount(c -> c.online() == 1);
        String id = UUID.randomUUID().toString();
        URI connects = LiveSystem.get().connectionService().baseUri().resolve("/connections");
        URI connection = LiveSystem.get().connectionService().baseUri().resolve("/connections/" + id);
        String body = LiveSystem.connectBody(id, counter, "broadcaster-1", "v-retry");

        HttpResponse<String> connect = LiveSystem.internal("POST", connects, body);
        HttpResponse<String> retriedConnect = LiveSystem.internal("POST", connects, body);
        assertEquals(200, connect.statusCode(), connect.body());
        assertTrue(connect.body().contains("\"registered\":true"), connect.body());
        assertTrue(retriedConnect.body().contains("\"registered\":false"), retriedConnect.body());
        Count connected = watcher.awaitCount(c -> c.online() == 2);
        assertEquals(2, connected.visits());

        HttpResponse<String> disconnect = LiveSystem.internal("DELETE", connection, null);
        HttpResponse<String> retriedDisconnect = LiveSystem.internal("DELETE", connection, null);
        assertTrue(disconnect.body().contains("\"removed\":true"), disconnect.body());
        assertTrue(retriedDisconnect.body().contains("\"removed\":false"), retriedDisconnect.body());
        Count after = watcher.awaitCount(c -> c.online() == 1);
        assertEquals(2, after.visits());

        // a press moves the version past both retries: had a retry counted, online or visits would show it
        watcher.send(PLUS);
        Count settled = watcher.awaitCount(c -> c.value() == 1);
        assertEquals(new Count(counter, 2, 1, 1, settled.version()), settled);
    }

    @Test
    void counterServiceAnswersSnapshotsAndRefusesBadNames() throws Exception {
        String counter = LiveSystem.uniqueCounter("rest");
        URI base = LiveSystem.get().counterService().baseUri();
        HttpResponse<String> untouched = LiveSystem.internal("GET", base.resolve("/counters/" + counter), null);
        assertEquals(200, untouched.statusCode());
        JsonNode zero = PageClient.JSON.readTree(untouched.body());
        assertEquals(0, zero.get("version").asLong());

        // a press does not create a counter: only a page's connect does
        HttpResponse<String> none = LiveSystem.internal("POST", base.resolve("/counters/" + counter + "/increment"), null);
        assertEquals(404, none.statusCode(), none.body());
        assertEquals(0, PageClient.JSON.readTree(LiveSystem.internal("GET", base.resolve("/counters/" + counter), null)
                .body()).get("version").asLong(), "nothing written");
        String id = UUID.randomUUID().toString();
        URI connection = LiveSystem.get().connectionService().baseUri().resolve("/connections/" + id);
        assertEquals(200, LiveSystem.internal("POST", LiveSystem.get().connectionService().baseUri().resolve("/connections"),
                LiveSystem.connectBody(id, counter, "live-loop-it", "v1")).statusCode());
        HttpResponse<String> plus = LiveSystem.internal("POST", base.resolve("/counters/" + counter + "/increment"), null);
        assertEquals(1, PageClient.JSON.readTree(plus.body()).get("value").asLong());
        LiveSystem.internal("DELETE", connection, null);

        HttpResponse<String> bad = LiveSystem.internal("POST", base.resolve("/counters/no%20spaces/increment"), null);
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("counter name"), bad.body());

        HttpResponse<String> noSecret = LiveSystem.send(java.net.http.HttpRequest.newBuilder(base.resolve("/counters/" + counter + "/increment"))
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody())
                .build());
        assertEquals(403, noSecret.statusCode(), "internal endpoints refuse calls without the shared secret");
    }

    @Test
    void operatorsScrapeSocketsStreamAndReaperMetrics() {
        String counter = LiveSystem.uniqueCounter("metrics");
        PageClient page = open(0, counter);
        page.awaitCount(c -> c.online() == 1);
        String broadcaster = scrape(LiveSystem.replica(0));
        assertTrue(broadcaster.lines().anyMatch(l -> l.startsWith("livecounter_sockets_open") && !l.endsWith(" 0.0")),
                "open sockets on the replica");
        assertTrue(broadcaster.contains("livecounter_stream_records_total"), "stream records processed");
        assertTrue(broadcaster.contains("livecounter_broadcast_peer_latency_seconds"), "broadcast latency to peers");
        String connections = scrape(LiveSystem.get().connectionService().port());
        assertTrue(connections.contains("livecounter_reaper_connections_total"), "reaped connections");
    }

    private static String scrape(int port) {
        HttpResponse<String> response = LiveSystem.send(java.net.http.HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/prometheus"))
                .build());
        assertEquals(200, response.statusCode());
        return response.body();
    }
}
