package dev.livecounter.system;

import static dev.livecounter.system.PageClient.PLUS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livecounter.hostile.HostileSocket;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A page message is bounded as a whole, not only per wire frame: many fragments or a compressed message cannot make
 * a replica hold (or inflate) more than a message's limit, and the pages and probes of the replica under attack stay
 * live.
 */
@ExtendWith(LiveSystem.Running.class)
class MessageBoundsIT {

    /** Close codes a message past the bounds may end with: too big (ours), or protocol error (Netty: RSV bit). */
    private static final Set<Integer> REFUSED = Set.of(1009, 1002);

    @RegisterExtension
    final OpenPages pages = new OpenPages();
    private final List<HostileSocket> hostile = new ArrayList<>();

    @AfterEach
    void closeHostile() {
        hostile.forEach(HostileSocket::close);
    }

    private HostileSocket hostile(int replica, String counter) throws IOException {
        HostileSocket socket = HostileSocket.open(
                LiveSystem.replica(replica), counter, LiveSystem.CLIENT_IP_HEADER, PageClient.uniqueAddress());
        hostile.add(socket);
        return socket;
    }

    @Test
    void aMessageInManySmallFramesIsClosedWith1009() throws IOException {
        HostileSocket socket = hostile(0, LiveSystem.uniqueCounter("fragments"));
        // 3.8 MiB in 1,001 frames of 4,000 bytes: each frame is within the frame limit, the message is not
        socket.sendFragmented(1001, 4000);
        assertEquals(1009, socket.awaitClose(Duration.ofSeconds(30)), "the whole message's limit closes the socket");
    }

    @Test
    void aSmallMessageInTooManyFramesIsClosedWith1009() throws IOException {
        HostileSocket socket = hostile(1, LiveSystem.uniqueCounter("splinters"));
        socket.sendFragmented(200, 1);
        assertEquals(1009, socket.awaitClose(Duration.ofSeconds(30)));
    }

    @Test
    void compressionIsNotNegotiated() throws IOException {
        HostileSocket socket = hostile(0, LiveSystem.uniqueCounter("deflate"));
        assertFalse(socket.compressionAccepted(), "permessage-deflate is offered, as browsers do, and declined");
    }

    /**
     * Twelve sockets each send a message that would inflate to 256 MiB, on the replica a watcher is on, while a page
     * on the other replica presses: the watcher sees every press within a second and the liveness probe answers,
     * throughout; each bomb ends its own socket.
     */
    @Test
    void deflateBombsCostTheReplicaNothing() throws Exception {
        String counter = LiveSystem.uniqueCounter("bomb");
        PageClient watcher = pages.add(PageClient.open(
                URI.create("ws://127.0.0.1:" + LiveSystem.replica(0) + "/ws?counter=" + counter), null, PageClient.uniqueAddress()));
        PageClient presser = pages.add(PageClient.open(
                URI.create("ws://127.0.0.1:" + LiveSystem.replica(1) + "/ws?counter=" + counter), null, PageClient.uniqueAddress()));
        watcher.awaitCount(c -> c.online() == 2);
        byte[] bomb = HostileSocket.deflateBomb(256L << 20);
        List<HostileSocket> bombers = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            bombers.add(hostile(0, counter));
        }
        ExecutorService senders = Executors.newFixedThreadPool(bombers.size());
        try {
            List<CompletableFuture<Integer>> closes = bombers.stream()
                    .map(b -> CompletableFuture.supplyAsync(() -> {
                        b.sendDeflateBomb(bomb, 4000);
                        return b.awaitClose(Duration.ofSeconds(60));
                    }, senders))
                    .toList();
            long slowest = 0;
            for (int press = 1; press <= 10; press++) {
                long sent = System.nanoTime();
                presser.send(PLUS);
                int expected = press;
                watcher.awaitCount("press " + press + " on the other replica", c -> c.value() == expected);
                slowest = Math.max(slowest, System.nanoTime() - sent);
                int status = LiveSystem.send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + LiveSystem.replica(0) + "/health/liveness")).timeout(Duration.ofSeconds(1)).build())
                        .statusCode();
                assertEquals(200, status, "the attacked replica's liveness probe answers within a second");
            }
            assertTrue(slowest < Duration.ofSeconds(1).toNanos(),
                    "the watcher saw every press within 1 s; slowest " + slowest / 1_000_000 + " ms");
            for (CompletableFuture<Integer> close : closes) {
                assertTrue(REFUSED.contains(close.join()), "a bomb ends its socket: close " + close.join());
            }
            assertEquals(2, watcher.awaitCount(c -> c.online() == 2).online(), "the bombers' sockets are gone");
        } finally {
            senders.shutdownNow();
        }
    }
}
