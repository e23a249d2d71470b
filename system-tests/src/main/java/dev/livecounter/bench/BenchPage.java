package dev.livecounter.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A page for benchmarks: one real WebSocket that notes, for each value of the counter, the moment (nanoTime)
 * it first showed it. Values only grow in these benchmarks, so value n arriving means press n arrived.
 */
final class BenchPage {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final AtomicLongArray arrivals;
    private volatile long latestValue = Long.MIN_VALUE;
    private volatile long latestOnline;
    private final WebSocket socket;

    BenchPage(int port, String counter, int maxValue) {
        this.arrivals = new AtomicLongArray(maxValue + 2);
        this.socket = HTTP.newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws?counter=" + counter), new Listener())
                .join();
    }

    /** nanoTime at which this page first showed {@code value}, 0 if it has not. */
    long arrival(long value) {
        return value >= 0 && value < arrivals.length() ? arrivals.get((int) value) : 0;
    }

    long latestValue() {
        return latestValue;
    }

    long latestOnline() {
        return latestOnline;
    }

    void plus() {
        socket.sendText("{\"action\":\"plus\"}", true).join();
    }

    void close() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            long now = System.nanoTime();
            text.append(data);
            if (last) {
                try {
                    JsonNode frame = JSON.readTree(text.toString());
                    if ("count".equals(frame.path("type").asText())) {
                        long value = frame.get("value").asLong();
                        latestOnline = frame.get("online").asLong();
                        if (value >= 0 && value < arrivals.length()) {
                            arrivals.compareAndSet((int) value, 0, now);
                        }
                        latestValue = value;
                    }
                } catch (Exception e) {
                    System.err.println("unreadable frame: " + text);
                }
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }
    }
}
