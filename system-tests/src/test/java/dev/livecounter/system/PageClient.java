package dev.livecounter.system;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** A page as the server sees it: one real WebSocket that records every frame it receives. */
public final class PageClient implements AutoCloseable {

    /** The message a page's plus button sends. */
    public static final String PLUS = "{\"action\":\"plus\"}";

    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** A count frame. */
    public record Count(String counter, long visits, long online, long value, long version) {}

    private final List<Count> counts = new CopyOnWriteArrayList<>();
    private final List<JsonNode> errors = new CopyOnWriteArrayList<>();
    private final List<String> versionViolations = new CopyOnWriteArrayList<>();
    private final WholeMessages messages = new WholeMessages(this::receive);
    private final String name;
    private WebSocket socket;

    private PageClient(String name) {
        this.name = name;
    }

    public static PageClient open(int port, String counter, String visit) {
        String query = "counter=" + counter + (visit == null ? "" : "&visit=" + visit);
        return open(URI.create("ws://127.0.0.1:" + port + "/ws?" + query), null);
    }

    static PageClient open(URI uri, String origin) {
        return open(uri, origin, uniqueAddress());
    }

    /** Opens a page as a client at {@code address} (as the ingress would report it). */
    static PageClient open(URI uri, String origin, String address) {
        PageClient page = new PageClient(uri.toString());
        WebSocket.Builder builder = HTTP.newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .header(LiveSystem.CLIENT_IP_HEADER, address);
        if (origin != null) {
            builder.header("Origin", origin);
        }
        page.socket = builder.buildAsync(uri, page.messages).join();
        return page;
    }

    /** Opens a page from {@code address}, waiting out the per-address connect rate (HTTP 429) when it is hit. */
    static PageClient openWithinConnectRate(URI uri, String address) {
        PageClient[] opened = new PageClient[1];
        await("an upgrade within the connect rate").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    try {
                        opened[0] = open(uri, null, address);
                        return true;
                    } catch (java.util.concurrent.CompletionException refused) {
                        return false;
                    }
                });
        return opened[0];
    }

    /** Every page a visitor of its own, so that tests do not run into the per-address limits by accident. */
    static String uniqueAddress() {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        return "10." + random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(1, 255);
    }

    /** The upgrade's HTTP status when the server refuses it, or 101. */
    static int upgradeStatus(URI uri, String origin) {
        return upgradeStatus(uri, origin, uniqueAddress());
    }

    static int upgradeStatus(URI uri, String origin, String address) {
        try {
            open(uri, origin, address).close();
            return 101;
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof java.net.http.WebSocketHandshakeException refused) {
                return refused.getResponse().statusCode();
            }
            throw e;
        }
    }

    public Count awaitCount(Predicate<Count> condition) {
        return awaitCount("a count frame matching the condition", condition);
    }

    public Count awaitCount(String what, Predicate<Count> condition) {
        return awaitCount(what, Duration.ofSeconds(30), condition);
    }

    Count awaitCount(String what, Duration timeout, Predicate<Count> condition) {
        await(name + ": " + what).atMost(timeout).pollInterval(Duration.ofMillis(20))
                .until(() -> latest() != null && condition.test(latest()));
        return latest();
    }

    JsonNode awaitError(String code) {
        await(name + ": error " + code).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> errors.stream().anyMatch(e -> code.equals(e.path("code").asText())));
        return errors.stream().filter(e -> code.equals(e.path("code").asText())).findFirst().orElseThrow();
    }

    /** Error frames with this code (or frames of this type, e.g. {@code pending}) received so far. */
    long errors(String code) {
        return errors.stream()
                .filter(e -> code.equals(e.path("code").asText()) || code.equals(e.path("type").asText()))
                .count();
    }

    /** Frames other than counts (errors, pending presses) received so far. */
    long frames() {
        return errors.size();
    }

    Count latest() {
        return counts.isEmpty() ? null : counts.get(counts.size() - 1);
    }

    List<Count> counts() {
        return new ArrayList<>(counts);
    }

    /** Frames whose version was not above the one before: must stay empty. */
    List<String> versionViolations() {
        return versionViolations;
    }

    public void send(String text) {
        socket.sendText(text, true).join();
    }

    void sendBinary(byte[] data) {
        socket.sendBinary(ByteBuffer.wrap(data), true).join();
    }

    boolean isOpen() {
        return !messages.closed().isDone();
    }

    /** The close code the server sent, once it closed. */
    CompletableFuture<Integer> closed() {
        return messages.closed();
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
        }
        messages.closed().completeOnTimeout(-1, 5, java.util.concurrent.TimeUnit.SECONDS).join();
    }

    private void receive(String frame) {
        try {
            JsonNode json = JSON.readTree(frame);
            if ("count".equals(json.path("type").asText())) {
                Count count = new Count(
                        json.get("counter").asText(),
                        json.get("visits").asLong(),
                        json.get("online").asLong(),
                        json.get("value").asLong(),
                        json.get("version").asLong());
                Count previous = latest();
                if (previous != null && count.version() <= previous.version()) {
                    versionViolations.add(previous.version() + " then " + count.version());
                }
                counts.add(count);
            } else {
                errors.add(json);
            }
        } catch (Exception e) {
            errors.add(JSON.createObjectNode().put("code", "unparseable").put("message", frame));
        }
    }
}
