package dev.livecounter.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;

/** A page's socket for the cold-start benchmark, keeping the newest count frame. */
final class CountingPage {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private volatile JsonNode latest;
    private WebSocket socket;

    static CountingPage open(int port, String counter) {
        CountingPage page = new CountingPage();
        try {
            page.socket = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(2))
                    .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws?counter=" + counter), new JsonFrames(frame -> {
                        if ("count".equals(frame.path("type").asText())) {
                            page.latest = frame;
                        }
                    })).join();
            return page;
        } catch (RuntimeException notYet) {
            return null;
        }
    }

    /**
     * A page whose socket got its first count, or null: while connection-service is not up yet the socket is
     * closed with 1013 (try again later), and a page reconnects, as this does by being called again.
     */
    static CountingPage counted(int port, String counter) {
        CountingPage page = open(port, counter);
        if (page == null) {
            return null;
        }
        long giveUp = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (page.latest == null && !page.socket.isInputClosed() && System.nanoTime() < giveUp) {
            Bench.sleep(20);
        }
        if (page.latest != null) {
            return page;
        }
        page.close();
        return null;
    }

    long online() {
        JsonNode count = latest;
        return count == null ? 0 : count.path("online").asLong();
    }

    long value() {
        JsonNode count = latest;
        return count == null ? 0 : count.path("value").asLong();
    }

    void send(String message) {
        socket.sendText(message, true).join();
    }

    void close() {
        socket.abort();
    }
}
