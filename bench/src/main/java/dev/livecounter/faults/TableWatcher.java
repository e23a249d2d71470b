package dev.livecounter.faults;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livecounter.bench.JsonFrames;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntSupplier;

/**
 * A client of one partition of the {@code orders} table, as a program would be written against the protocol: it
 * subscribes, keeps the items' totals, and on any close reconnects (to whichever replica the supplier names) and
 * subscribes again with the last position it had. It checks what a subscriber is promised: each item's changes
 * come in order with none missing (every change adds one to the total), except across an explicit gap, after which
 * a fresh snapshot replaces what it holds.
 */
final class TableWatcher {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final String customer;
    private final IntSupplier port;
    private final String address;
    private final Map<String, Long> totals = new HashMap<>();
    private final List<String> violations = new ArrayList<>();
    private final Map<String, Long> snapshot = new HashMap<>();
    private String position;
    private boolean inSnapshot;
    private int gaps;
    private int resumes;
    private int reconnects;
    private volatile boolean leaving;
    private volatile WebSocket socket;

    TableWatcher(String customer, IntSupplier port, String address) {
        this.customer = customer;
        this.port = port;
        this.address = address;
    }

    void arrive() {
        connect();
    }

    synchronized Map<String, Long> totals() {
        return Map.copyOf(totals);
    }

    synchronized List<String> violations() {
        return List.copyOf(violations);
    }

    synchronized int gaps() {
        return gaps;
    }

    synchronized int resumes() {
        return resumes;
    }

    synchronized int reconnects() {
        return reconnects;
    }

    void leave() {
        leaving = true;
        WebSocket open = socket;
        if (open != null) {
            open.abort();
        }
    }

    private void connect() {
        if (leaving) {
            return;
        }
        URI uri = URI.create("ws://127.0.0.1:" + port.getAsInt() + "/ws?counter=");
        HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5)).header("X-Forwarded-For", address)
                .buildAsync(uri, new Listener())
                .whenComplete((ws, error) -> {
                    if (error != null) {
                        later();
                        return;
                    }
                    socket = ws;
                    String after;
                    synchronized (this) {
                        after = position;
                    }
                    ws.sendText("{\"action\":\"subscribe\",\"table\":\"orders\",\"partition\":{\"customer\":\"" + customer + "\"}"
                            + (after == null ? "" : ",\"after\":\"" + after + "\"") + "}", true);
                });
    }

    private void later() {
        synchronized (this) {
            reconnects++;
        }
        long delay = 200 + ThreadLocalRandom.current().nextLong(300);
        CompletableFutures.delay(Duration.ofMillis(delay), this::connect);
    }

    private synchronized void frame(JsonNode frame) {
        switch (frame.path("type").asText()) {
            case "snapshot" -> {
                if (!inSnapshot) {
                    snapshot.clear();
                    inSnapshot = true;
                }
                frame.path("items").forEach(item -> snapshot.put(item.path("orderId").asText(), item.path("total").asLong()));
                if (frame.path("done").asBoolean()) {
                    totals.clear();
                    totals.putAll(snapshot);
                    position = frame.path("position").asText();
                    inSnapshot = false;
                }
            }
            case "change" -> {
                String item = frame.path("keys").path("orderId").asText();
                long now = frame.path("new").path("total").asLong();
                Long before = totals.get(item);
                if (before != null && now != before + 1) {
                    violations.add(item + ": " + before + " then " + now);
                }
                totals.put(item, now);
                position = frame.path("position").asText();
            }
            case "gap" -> gaps++;
            case "resumed" -> resumes++;
            case "error" -> violations.add("error frame " + frame);
            default -> { }
        }
    }

    private final class Listener extends JsonFrames {
        Listener() {
            super(TableWatcher.this::frame);
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            later();
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            later();
        }
    }

    /** A delayed run without a thread of its own. */
    private static final class CompletableFutures {
        static void delay(Duration delay, Runnable task) {
            java.util.concurrent.CompletableFuture.delayedExecutor(delay.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                    .execute(task);
        }
    }
}
