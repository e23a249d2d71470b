package dev.livecounter.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.livecounter.local.InternalCalls;
import dev.livecounter.local.LocalStack;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** The few HTTP calls the benchmarks make: read a counter from counter-service, post a broadcast. */
final class Http {

    private static final ObjectMapper JSON = new ObjectMapper();
    // HTTP/1.1: an h2c upgrade header would reach the Node server's WebSocket upgrade handler instead of /broadcast
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();

    private Http() {}

    /** The counter as the database has it: {@code visits}, {@code online}, {@code value}, {@code version}. */
    static JsonNode counter(LocalStack stack, String name) {
        HttpRequest request = InternalCalls.request(stack.internalSecret(), "GET",
                        stack.counterService().baseUri().resolve("/counters/" + name), null)
                .timeout(Duration.ofSeconds(5))
                .build();
        try {
            HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET /counters/" + name + ": " + response.statusCode() + " " + response.body());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** POSTs a JSON body, signed with the internal secret when one is given; completes with the status. */
    static CompletableFuture<Integer> post(URI uri, String json, String secret) {
        HttpRequest.Builder request = secret == null
                ? HttpRequest.newBuilder(uri)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                : InternalCalls.request(secret, "POST", uri, json);
        request.timeout(Duration.ofSeconds(5));
        return CLIENT.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding()).thenApply(HttpResponse::statusCode);
    }

    private static final java.util.regex.Pattern SOCKETS = java.util.regex.Pattern.compile("\"sockets\"\\s*:\\s*(\\d+)");

    /** Sockets a broadcaster replica holds, from its health details; -1 if it does not say. */
    static int replicaSockets(dev.livecounter.local.ServiceProcess replica) {
        HttpRequest request = HttpRequest.newBuilder(replica.baseUri().resolve("/health")).timeout(Duration.ofSeconds(5)).build();
        try {
            String body = CLIENT.send(request, HttpResponse.BodyHandlers.ofString()).body();
            java.util.regex.Matcher m = SOCKETS.matcher(body);
            return m.find() ? Integer.parseInt(m.group(1)) : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** The counter's {@code online} in the database, or -1 while it cannot be read (not created yet, database busy). */
    static long online(LocalStack stack, String name) {
        try {
            return counter(stack, name).path("online").asLong();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** The counter's {@code value} in the database, or Long.MIN_VALUE while it cannot be read (database busy). */
    static long value(LocalStack stack, String name) {
        try {
            return counter(stack, name).path("value").asLong();
        } catch (RuntimeException e) {
            return Long.MIN_VALUE;
        }
    }
}
