package dev.livecounter.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Connects and presses that arrive together are written together (group commit); each must still count exactly
 * once, also when a batch mixes new sockets with retried calls and reconnects of one page load. The calls go
 * straight to connection-service and counter-service, as the broadcasters make them, many at once.
 */
class GroupCommitIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ExecutorService CALLERS = Executors.newFixedThreadPool(64);

    @AfterAll
    static void stop() {
        CALLERS.shutdownNow();
    }

    @Test
    void concurrentConnectsWithRetriesAndSharedVisitsCountEachSocketAndVisitOnce() throws Exception {
        String counter = LiveSystem.uniqueCounter("batch");
        int sockets = 90;
        int visits = 30; // three sockets per page load, as after two reconnects
        List<Supplier<HttpResponse<String>>> calls = new ArrayList<>();
        URI route = LiveSystem.get().connectionService().baseUri().resolve("/connections");
        for (int s = 0; s < sockets; s++) {
            String body = LiveSystem.connectBody(counter + "-socket-" + s, counter, "group-commit-it", "visit-" + (s % visits));
            for (int attempt = 0; attempt < 2; attempt++) { // every call made twice, as a retry after a timeout would
                calls.add(() -> LiveSystem.internal("POST", route, body));
            }
        }
        List<JsonNode> answers = all(calls);

        Map<String, Integer> registeredPerSocket = new HashMap<>();
        int newVisits = 0;
        for (int i = 0; i < answers.size(); i++) {
            JsonNode answer = answers.get(i).path(0).path("result"); // a batch of one: its one answer
            if (answer.path("registered").asBoolean()) {
                registeredPerSocket.merge("socket-" + (i / 2), 1, Integer::sum);
            }
            newVisits += answer.path("newVisit").asBoolean() ? 1 : 0;
        }
        assertEquals(sockets, registeredPerSocket.size(), "every socket registered");
        assertEquals(Collections.nCopies(sockets, 1), new ArrayList<>(registeredPerSocket.values()), "by one call only");
        assertEquals(visits, newVisits, "one new visit per page load");
        JsonNode count = counter(counter);
        assertEquals(sockets, count.path("online").asLong());
        assertEquals(visits, count.path("visits").asLong());

        // and back: every disconnect made twice too
        List<Supplier<HttpResponse<String>>> closes = new ArrayList<>();
        for (int s = 0; s < sockets; s++) {
            URI uri = connection(counter + "-socket-" + s);
            closes.add(() -> LiveSystem.internal("DELETE", uri, null));
            closes.add(() -> LiveSystem.internal("DELETE", uri, null));
        }
        all(closes);
        count = counter(counter);
        assertEquals(0, count.path("online").asLong());
        assertEquals(visits, count.path("visits").asLong());
    }

    /**
     * The broadcaster's batch routes: concurrent batches of one counter, every batch sent twice (as after a call whose
     * connection closed before the answer), plus a counter the install does not serve in the middle of one: each
     * connect gets its own answer in order, each socket counts once, and a refused connect fails no other; the
     * batched disconnects, sent twice too, take each socket off once.
     */
    @Test
    void batchesSentTwiceCountEachSocketOnceAndAnswerEachConnect() throws Exception {
        String counter = LiveSystem.uniqueCounter("batches");
        int batches = 6;
        int perBatch = 20;
        URI route = LiveSystem.get().connectionService().baseUri().resolve("/connections");
        List<Supplier<HttpResponse<String>>> calls = new ArrayList<>();
        for (int b = 0; b < batches; b++) {
            List<String> connects = new ArrayList<>();
            for (int s = 0; s < perBatch; s++) {
                connects.add(batchConnect(counter + "-b" + b + "-" + s, counter, "visit-" + b + "-" + s));
            }
            // a name that breaks the naming rule: refused on its own, the batch's others still count
            connects.add(perBatch / 2, batchConnect(counter + "-b" + b + "-bad", "not a counter!", "visit-bad"));
            String body = "{\"connects\":[" + String.join(",", connects) + "]}";
            calls.add(() -> LiveSystem.internal("POST", route, body));
            calls.add(() -> LiveSystem.internal("POST", route, body));
        }
        List<JsonNode> answers = all(calls);

        int registered = 0;
        for (JsonNode answer : answers) {
            assertEquals(perBatch + 1, answer.size(), "one answer per connect: " + answer);
            assertEquals("bad_request", answer.get(perBatch / 2).path("error").asText(), "the bad name refused: " + answer);
            for (JsonNode connect : answer) {
                registered += connect.path("result").path("registered").asBoolean() ? 1 : 0;
            }
        }
        assertEquals(batches * perBatch, registered, "each socket registered by one of its two calls");
        JsonNode count = counter(counter);
        assertEquals(batches * perBatch, count.path("online").asLong());
        assertEquals(batches * perBatch, count.path("visits").asLong());

        // and back in batches too, each sent twice: every socket leaves once
        URI closed = LiveSystem.get().connectionService().baseUri().resolve("/connections/closed");
        List<Supplier<HttpResponse<String>>> closes = new ArrayList<>();
        for (int b = 0; b < batches; b++) {
            List<String> ids = new ArrayList<>();
            for (int s = 0; s < perBatch; s++) {
                ids.add("\"" + counter + "-b" + b + "-" + s + "\"");
            }
            String body = "{\"connectionIds\":[" + String.join(",", ids) + "]}";
            closes.add(() -> LiveSystem.internal("POST", closed, body));
            closes.add(() -> LiveSystem.internal("POST", closed, body));
        }
        int removed = 0;
        for (JsonNode answer : all(closes)) {
            assertEquals(perBatch, answer.size(), "one result per connection id: " + answer);
            for (JsonNode result : answer) {
                removed += result.path("removed").asBoolean() ? 1 : 0;
            }
        }
        assertEquals(batches * perBatch, removed, "each socket removed by one of its two calls");
        count = counter(counter);
        assertEquals(0, count.path("online").asLong());
        assertEquals(batches * perBatch, count.path("visits").asLong());
    }

    private static String batchConnect(String connectionId, String counter, String visitId) {
        return "{\"connectionId\":\"" + connectionId + "\",\"request\":{\"counter\":\"" + counter
                + "\",\"replicaId\":\"group-commit-it\",\"visitId\":\"" + visitId + "\"}}";
    }

    @Test
    void concurrentPressesEachCountOnce() throws Exception {
        String counter = LiveSystem.uniqueCounter("presses");
        URI base = LiveSystem.get().counterService().baseUri();
        // a page's connect makes the counter; presses alone never do
        URI page = connection(counter + "-page");
        assertEquals(200, LiveSystem.internal("POST", LiveSystem.get().connectionService().baseUri().resolve("/connections"),
                LiveSystem.connectBody(counter + "-page", counter, "group-commit-it", "page")).statusCode());
        List<Supplier<HttpResponse<String>>> presses = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            presses.add(() -> LiveSystem.internal("POST", base.resolve("/counters/" + counter + "/increment"), null));
        }
        for (int i = 0; i < 120; i++) {
            presses.add(() -> LiveSystem.internal("POST", base.resolve("/counters/" + counter + "/decrement"), null));
        }
        Collections.shuffle(presses);
        List<JsonNode> answers = all(presses);

        assertEquals(180, counter(counter).path("value").asLong());
        LiveSystem.internal("DELETE", page, null);
        // each press is answered with the counter after the write that carried it: the last write's presses see
        // the final value
        assertTrue(answers.stream().anyMatch(answer -> answer.path("value").asLong() == 180),
                "some press answered with the final value");
    }

    private static URI connection(String id) {
        return LiveSystem.get().connectionService().baseUri().resolve("/connections/" + id);
    }

    private static JsonNode counter(String name) throws Exception {
        URI uri = LiveSystem.get().counterService().baseUri().resolve("/counters/" + name);
        return JSON.readTree(LiveSystem.internal("GET", uri, null).body());
    }

    /** Runs every call at once (64 at a time), in order of the answers; each must answer 200. */
    private static List<JsonNode> all(List<Supplier<HttpResponse<String>>> calls) throws Exception {
        List<CompletableFuture<HttpResponse<String>>> running = new ArrayList<>();
        for (Supplier<HttpResponse<String>> call : calls) {
            running.add(CompletableFuture.supplyAsync(call, CALLERS));
        }
        List<JsonNode> answers = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> call : running) {
            HttpResponse<String> response = call.get(2, java.util.concurrent.TimeUnit.MINUTES);
            assertEquals(200, response.statusCode(), response.request().uri() + ": " + response.body());
            answers.add(response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body()));
        }
        return answers;
    }
}
