package dev.livecounter.faults;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livecounter.bench.JsonFrames;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * One person with the page open, behaving as the real page does: one visit id for the whole page load, a socket,
 * and on any close (1001 drain, 1013 try later, 1006 crash) a reconnect after backoff with jitter, to whichever
 * replica the "ingress" picks. It remembers the last count it was shown.
 */
final class Visitor {

    private final HttpClient http;
    private final ScheduledExecutorService timer;
    private final String counter;
    private final String visitId = UUID.randomUUID().toString();
    /** as the page keeps one in localStorage: every visitor of the suite is a person of its own */
    private final String visitorId = UUID.randomUUID().toString();
    private final String address;
    private final IntSupplier ingress;
    private volatile WebSocket socket;
    private volatile boolean leaving;
    private volatile boolean open;
    private volatile Shown shown = Shown.NOTHING;
    private volatile int attempt;

    Visitor(HttpClient http, ScheduledExecutorService timer, String counter, String address, IntSupplier ingress) {
        this.http = http;
        this.timer = timer;
        this.counter = counter;
        this.address = address;
        this.ingress = ingress;
    }

    /** Opens the page (connects now and keeps reconnecting until {@link #leave}). */
    CompletableFuture<?> arrive() {
        URI uri = URI.create("ws://127.0.0.1:" + ingress.getAsInt() + "/ws?counter=" + counter + "&visit=" + visitId
                + "&visitor=" + visitorId);
        return http.newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .header("X-Forwarded-For", address)
                .buildAsync(uri, new Listener())
                .handle((ws, error) -> {
                    if (error != null) {
                        reconnectLater();
                    } else {
                        socket = ws;
                        open = true;
                        if (leaving) {
                            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
                        }
                    }
                    return null;
                });
    }

    private void reconnectLater() {
        open = false;
        if (leaving) {
            return;
        }
        // the page's backoff (app.js): exponential from 0.5 s with full jitter, capped
        long cap = Math.min(30_000, 500L << Math.min(attempt++, 6));
        timer.schedule(this::arrive, ThreadLocalRandom.current().nextLong(100, cap + 1), TimeUnit.MILLISECONDS);
    }

    void press() {
        WebSocket ws = socket;
        if (open && ws != null) {
            ws.sendText("{\"action\":\"plus\"}", true);
        }
    }

    /** Closes the page for good. */
    void leave() {
        leaving = true;
        WebSocket ws = socket;
        if (ws != null && !ws.isOutputClosed()) {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
    }

    boolean isOpen() {
        return open;
    }

    /**
     * What the page shows: its newest count frame, taken whole, so that a reader never sees the visits of one frame
     * beside the online of another.
     */
    record Shown(long visits, long online, long value, long version) {
        static final Shown NOTHING = new Shown(-1, -1, 0, -1);

        boolean shows(long expectedVisits, long expectedOnline, long expectedValue) {
            return visits == expectedVisits && online == expectedOnline && value == expectedValue;
        }
    }

    Shown shown() {
        return shown;
    }

    /** A frame as the page takes it: live (and the backoff reset) on any frame, the count only if it is newer. */
    private void onFrame(JsonNode frame) {
        // like the page: live only once a count arrived, not on the upgrade, since a socket that cannot be
        // registered is opened and then closed with 1013
        attempt = 0;
        if ("count".equals(frame.path("type").asText()) && frame.path("version").asLong() > shown.version()) {
            shown = new Shown(frame.path("visits").asLong(), frame.path("online").asLong(),
                    frame.path("value").asLong(), frame.get("version").asLong());
        }
    }

    /** The page's socket: its frames, and a reconnect on any close or error. */
    private final class Listener extends JsonFrames {
        Listener() {
            super(Visitor.this::onFrame);
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            reconnectLater();
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            reconnectLater();
        }
    }
}
