package dev.livecounter.system;


import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A client of streamed tables that is not the page: one real WebSocket without a counter ({@code /ws?counter=}),
 * which sends subscribe messages and records every frame it receives, in order.
 */
final class TableClient implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    static final Duration PATIENCE = Duration.ofSeconds(60);

    private final List<JsonNode> frames = new CopyOnWriteArrayList<>();
    private final WholeMessages messages = new WholeMessages(this::receive);
    private WebSocket socket;

    static TableClient open(int port) {
        TableClient client = new TableClient();
        client.socket = HTTP.newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .header(LiveSystem.CLIENT_IP_HEADER, PageClient.uniqueAddress())
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws?counter="), client.messages)
                .join();
        return client;
    }

    void send(String text) {
        socket.sendText(text, true).join();
    }

    /** Sends a subscribe (the JSON object without its action) and returns the frames' index it starts at. */
    int subscribe(String fields) {
        int from = frames.size();
        send("{\"action\":\"subscribe\"," + fields + "}");
        return from;
    }

    List<JsonNode> frames() {
        return List.copyOf(frames);
    }

    /** The first frame from index {@code from} on that matches, waiting for it. */
    JsonNode await(String what, int from, Predicate<JsonNode> match) {
        return org.awaitility.Awaitility.await().atMost(PATIENCE).pollInterval(Duration.ofMillis(20)).alias(what + " in " + this)
                .until(() -> {
                    List<JsonNode> now = frames();
                    for (int i = from; i < now.size(); i++) {
                        if (match.test(now.get(i))) {
                            return now.get(i);
                        }
                    }
                    return null;
                }, found -> found != null);
    }

    JsonNode awaitType(String type, int from) {
        return await("a " + type + " frame", from, f -> type.equals(f.path("type").asText()));
    }

    JsonNode awaitError(String code, int from) {
        return await("an error " + code, from, f -> "error".equals(f.path("type").asText()) && code.equals(f.path("code").asText()));
    }

    /** The subscription's snapshot (every page of it, once the last has come), starting at {@code from}. */
    Snapshot awaitSnapshot(int from) {
        JsonNode last = await("the last snapshot page", from,
                f -> "snapshot".equals(f.path("type").asText()) && f.path("done").asBoolean());
        List<JsonNode> items = new ArrayList<>();
        List<JsonNode> now = frames();
        String sub = last.path("sub").asText();
        for (int i = from; i < now.size(); i++) {
            JsonNode f = now.get(i);
            if ("snapshot".equals(f.path("type").asText()) && sub.equals(f.path("sub").asText())) {
                f.path("items").forEach(items::add);
                if (f == last) {
                    break;
                }
            }
        }
        return new Snapshot(sub, items, last.path("position").asText());
    }

    record Snapshot(String sub, List<JsonNode> items, String position) {}

    /** The change frames of {@code sub} received so far (from index {@code from} on). */
    List<JsonNode> changes(String sub, int from) {
        List<JsonNode> now = frames();
        List<JsonNode> changes = new ArrayList<>();
        for (int i = from; i < now.size(); i++) {
            JsonNode f = now.get(i);
            if ("change".equals(f.path("type").asText()) && sub.equals(f.path("sub").asText())) {
                changes.add(f);
            }
        }
        return changes;
    }

    boolean isOpen() {
        return !messages.closed().isDone();
    }

    /** Cuts the socket without a close handshake's wait (as a network drop would, from the client's side). */
    void abort() {
        socket.abort();
        messages.closed().complete(-1);
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(e -> null).join();
        }
        messages.closed().completeOnTimeout(-1, 5, java.util.concurrent.TimeUnit.SECONDS).join();
    }

    @Override
    public String toString() {
        List<JsonNode> now = frames();
        return "table client (" + now.size() + " frames, last " + (now.isEmpty() ? "none" : now.get(now.size() - 1)) + ")";
    }

    private void receive(String text) {
        try {
            frames.add(JSON.readTree(text));
        } catch (Exception e) {
            frames.add(JSON.createObjectNode().put("type", "unparseable").put("text", text));
        }
    }
}
