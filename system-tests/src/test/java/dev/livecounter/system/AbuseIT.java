package dev.livecounter.system;

import static dev.livecounter.system.PageClient.PLUS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livecounter.hostile.HostileSocket;
import dev.livecounter.system.PageClient.Count;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The socket endpoint is public: every limit, checked with real sockets, and the counts stay right. */
@ExtendWith(LiveSystem.Running.class)
class AbuseIT {

    @RegisterExtension
    final OpenPages pages = new OpenPages();
    private final List<Socket> rawSockets = new ArrayList<>();

    @AfterEach
    void closeRawSockets() throws IOException {
        for (Socket socket : rawSockets) {
            socket.close();
        }
    }

    private PageClient open(int replica, String counter, String address) {
        return pages.add(PageClient.open(
                URI.create("ws://127.0.0.1:" + LiveSystem.replica(replica) + "/ws?counter=" + counter), null, address));
    }

    private URI ws(int replica, String counter) {
        return URI.create("ws://127.0.0.1:" + LiveSystem.replica(replica) + "/ws?counter=" + counter);
    }

    @Test
    void aSocketSendingTooFastIsToldSoAndOnlyItsAllowedPressesCount() {
        String counter = LiveSystem.uniqueCounter("msgrate");
        PageClient page = open(0, counter, PageClient.uniqueAddress());
        page.awaitCount(c -> c.online() == 1);
        int sent = 60;
        for (int i = 0; i < sent; i++) {
            page.send(PLUS);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> page.errors("rate_limited") > 0);
        // presses and errors both settle: every press is either counted or answered rate_limited
        await().atMost(Duration.ofSeconds(20)).until(
                () -> page.latest().value() + page.errors("rate_limited") == sent);
        long limited = page.errors("rate_limited");
        assertTrue(limited >= sent - 30, "a burst of 20 and ~5/s pass; the rest are refused: " + limited);
        assertTrue(page.isOpen(), "rate limiting answers with error frames; the socket stays");
    }

    @Test
    void sustainedAbuseIsClosedWith1008() {
        PageClient page = open(1, LiveSystem.uniqueCounter("abuse"), PageClient.uniqueAddress());
        page.awaitCount(c -> c.online() == 1);
        // exactly as many refused messages as the limit: the last one closes the socket, and no frame of ours
        // is in flight when the close arrives (a write racing the close would end in a reset, not a close frame)
        for (int i = 0; i < 50; i++) {
            page.send("garbage " + i);
        }
        assertEquals(1008, page.closed().join());
    }

    @Test
    void anOversizedFrameClosesTheSocketWith1009() {
        PageClient page = open(0, LiveSystem.uniqueCounter("big"), PageClient.uniqueAddress());
        page.awaitCount(c -> c.online() == 1);
        page.send("{\"action\":\"plus\",\"pad\":\"" + "x".repeat(5000) + "\"}");
        assertEquals(1009, page.closed().join());
    }

    @Test
    void oneAddressOpeningSocketsTooFastGets429() {
        String counter = LiveSystem.uniqueCounter("flood");
        String address = PageClient.uniqueAddress();
        int refused = 0;
        for (int i = 0; i < 40; i++) {
            try {
                pages.add(PageClient.open(ws(0, counter), null, address));
            } catch (java.util.concurrent.CompletionException e) {
                assertEquals(429, ((java.net.http.WebSocketHandshakeException) e.getCause()).getResponse().statusCode());
                refused++;
            }
        }
        assertTrue(refused >= 10, "this replica's share of the burst of 20 connects passes, the flood after it is"
                + " refused: " + refused);
        int admitted = 40 - refused + 1;
        PageClient watcher = open(1, counter, PageClient.uniqueAddress());
        assertEquals(admitted, watcher.awaitCount(c -> c.online() == admitted).visits(),
                "a refused upgrade counts nothing; another address is not affected");
    }

    @Test
    void oneAddressCannotHoldMoreThanItsShareOfSockets() {
        String counter = LiveSystem.uniqueCounter("hoard");
        String address = PageClient.uniqueAddress();
        List<PageClient> held = new ArrayList<>();
        // open and hold sockets as fast as the connect limit lets this address, until it may hold no more
        await("the per-address socket limit").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    try {
                        PageClient page = PageClient.open(ws(1, counter), null, address);
                        held.add(page);
                        pages.add(page);
                        return false;
                    } catch (java.util.concurrent.CompletionException refused) {
                        return held.size() >= 25
                                && PageClient.upgradeStatus(ws(1, counter), null, address) == 429;
                    }
                });
        assertEquals(25, held.size(), "one replica's share (of two) of the default 50 open sockets per address");
        PageClient watcher = open(0, counter, PageClient.uniqueAddress());
        assertEquals(26, watcher.awaitCount(c -> c.online() == 26).online(), "refused upgrades counted nothing");
    }

    @Test
    void aDeadSocketIsClosedAfterTheIdleTimeoutAndLeavesTheCount() throws IOException {
        String counter = LiveSystem.uniqueCounter("dead");
        PageClient watcher = open(0, counter, PageClient.uniqueAddress());
        watcher.awaitCount(c -> c.online() == 1);
        // a client that completes the upgrade, then never reads or answers a ping again (a vanished phone)
        Socket dead = rawUpgrade(LiveSystem.replica(1), counter, true);
        watcher.awaitCount("the silent socket counted", c -> c.online() == 2);
        Count after = watcher.awaitCount("the silent socket closed by the server",
                LiveSystem.IDLE_TIMEOUT.multipliedBy(4), c -> c.online() == 1);
        assertEquals(2, after.visits());
        dead.close();
    }

    @Test
    void halfOpenUpgradesCountNothingAndDoNotHurtOthers() throws IOException {
        String counter = LiveSystem.uniqueCounter("halfopen");
        PageClient watcher = open(0, counter, PageClient.uniqueAddress());
        watcher.awaitCount(c -> c.online() == 1);
        for (int i = 0; i < 50; i++) {
            rawUpgrade(LiveSystem.replica(i % 2), counter, false);
        }
        watcher.send(PLUS);
        Count count = watcher.awaitCount(c -> c.value() == 1);
        assertEquals(1, count.online(), "a request that never finished its upgrade is not a visitor");
        assertEquals(1, count.visits());
    }

    @Test
    void aHostileCrowdMovesNoCountWhileAPageKeepsItsUpdates() {
        String counter = LiveSystem.uniqueCounter("hostile");
        PageClient watcher = open(0, counter, PageClient.uniqueAddress());
        PageClient presser = open(1, counter, PageClient.uniqueAddress());
        watcher.awaitCount(c -> c.online() == 2);
        String deep = "{\"a\":".repeat(600) + "1" + "}".repeat(600);
        String[] garbage = {"", " ", "null", "[]", "{}", "{\"action\":null}", "{\"action\":1}", "{\"action\":\"PLUS\"}",
                "{\"action\":\"plus\"", deep, "[".repeat(1000), "\u0000\u0001", "{\"action\":\"plus\"}{\"action\":\"plus\"}",
                "<script>alert(1)</script>", "{\"action\":\"minus\",\"action\":\"jump\"}"};
        List<PageClient> hostile = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            hostile.add(open(i % 2, counter, PageClient.uniqueAddress()));
        }
        watcher.awaitCount(c -> c.online() == 22);
        int frames = 0;
        for (int round = 0; round < 100; round++) {
            for (PageClient h : hostile) {
                if (!h.isOpen()) {
                    continue;
                }
                try {
                    if (round % 10 == 0) {
                        h.sendBinary(new byte[] {1, 2, 3});
                    } else {
                        h.send(garbage[(round + frames) % garbage.length]);
                    }
                    frames++;
                } catch (RuntimeException closedByServer) {
                    // closed for abuse: expected
                }
            }
            if (round % 10 == 0) {
                presser.send(PLUS);
            }
        }
        Count settled = watcher.awaitCount("the ten legitimate presses", c -> c.value() == 10);
        hostile.forEach(h -> {
            if (h.isOpen()) {
                h.close();
            }
        });
        Count end = watcher.awaitCount("the crowd gone", c -> c.online() == 2);
        assertEquals(10, end.value(), "garbage never pressed anything: " + frames + " hostile frames");
        assertEquals(22, end.visits(), "each socket that opened is one visit, nothing more");
        assertEquals(List.of(), watcher.versionViolations());
        assertTrue(settled.version() > 0);
    }

    /** Raw TCP: a full upgrade ({@code complete}) then silence, or half a request left hanging. */
    private Socket rawUpgrade(int port, String counter, boolean complete) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        rawSockets.add(socket);
        String request = "GET /ws?counter=" + counter + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + port + "\r\n"
                + LiveSystem.CLIENT_IP_HEADER + ": " + PageClient.uniqueAddress() + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";
        OutputStream out = socket.getOutputStream();
        if (!complete) {
            out.write(request.substring(0, request.length() / 2).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return socket;
        }
        out.write((request + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String head = HostileSocket.responseHead(socket.getInputStream());
        assertTrue(head.startsWith("HTTP/1.1 101"), head);
        return socket;
    }
}
