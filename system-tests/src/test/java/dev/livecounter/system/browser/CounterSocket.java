package dev.livecounter.system.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.awaitility.Awaitility;

/** A script-free page: one WebSocket that presses and remembers the newest count frame (a check beside the browser). */
final class CounterSocket implements AutoCloseable {

    /** A count frame. */
    record Count(long visits, long online, long value, long version) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final AtomicReference<Count> latest = new AtomicReference<>();
    private final String name;
    private WebSocket socket;

    private CounterSocket(String name) {
        this.name = name;
    }

    static CounterSocket open(int port, String counter) {
        CounterSocket page = new CounterSocket("socket on :" + port);
        URI uri = URI.create("ws://127.0.0.1:" + port + "/ws?counter=" + counter);
        page.socket = HTTP.newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .buildAsync(uri, page.new Listener())
                .join();
        return page;
    }

    Count latest() {
        return latest.get();
    }

    Count await(String what, Predicate<Count> condition) {
        Awaitility.await(name + ": " + what)
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> latest() != null && condition.test(latest()));
        return latest();
    }

    void pressPlus() {
        socket.sendText("{\"action\":\"plus\"}", true).join();
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                receive(text.toString());
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        private void receive(String frame) {
            try {
                JsonNode json = JSON.readTree(frame);
                if ("count".equals(json.path("type").asText())) {
                    Count count = new Count(json.get("visits").asLong(), json.get("online").asLong(),
                            json.get("value").asLong(), json.get("version").asLong());
                    latest.accumulateAndGet(count, (old, next) -> old == null || next.version() > old.version() ? next : old);
                }
            } catch (Exception unreadable) {
                // not a count frame; this probe only follows counts
            }
        }
    }
}
