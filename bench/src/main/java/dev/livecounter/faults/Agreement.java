package dev.livecounter.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.livecounter.local.InternalCalls;
import dev.livecounter.local.LocalStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * The measure step of every fault scenario: waits until every page and the database show the expected numbers (or
 * the timeout), and turns what they show into a {@link FaultSuite.Row}, the counter's history included. Reads
 * through the services' internal endpoints, with the stack's secret.
 */
final class Agreement {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    private final LocalStack stack;
    private final Instant started = Instant.now();
    private final HttpClient http = HttpClient.newHttpClient();

    Agreement(LocalStack stack) {
        this.stack = stack;
    }

    /** Waits until every page and the database show {@code visits} and {@code online}; the row says how long it took. */
    FaultSuite.Row agree(String scenario, String counter, List<Visitor> visitors, long visits, long online, long since) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        JsonNode db = read(counter);
        while (true) {
            long value = db.path("value").asLong();
            boolean pagesAgree = visitors.stream()
                    .allMatch(v -> v.isOpen() && v.shown().shows(visits, online, value));
            if (pagesAgree && db.path("visits").asLong() == visits && db.path("online").asLong() == online) {
                return row(scenario, online, visitors, db, Duration.ofNanos(System.nanoTime() - since), historyVisits(counter), visits);
            }
            if (System.nanoTime() > deadline) {
                return row(scenario, online, visitors, db, null, historyVisits(counter), visits);
            }
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
            db = read(counter);
        }
    }

    /**
     * Fails unless the pages and the database agree before a fault is made, and stay so for a second: presses still
     * under way can make them agree on a value the database is only passing through.
     */
    void awaitSettled(String counter, List<Visitor> visitors, long online) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            FaultSuite.Row row = agree("settle", counter, visitors, visitors.size(), online, System.nanoTime());
            long value = read(counter).path("value").asLong(Long.MIN_VALUE);
            LockSupport.parkNanos(Duration.ofSeconds(1).toNanos());
            boolean still = row.exact() && read(counter).path("value").asLong(Long.MIN_VALUE) == value
                    && visitors.stream().allMatch(v -> v.shown().value() == value);
            if (still) {
                return;
            }
            if (row.agreedAfter() == null || System.nanoTime() > deadline) {
                throw new IllegalStateException("the system did not settle before the fault: " + row.format());
            }
        }
    }

    /** Everyone leaves, and this waits until the count says so: the next scenario starts from quiet. */
    void leave(String counter, List<Visitor> visitors) {
        Crowd.leave(visitors);
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (read(counter).path("online").asLong(-1) != 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
        }
    }

    private static FaultSuite.Row row(String scenario, long online, List<Visitor> visitors, JsonNode db, Duration agreed,
            long history, long visits) {
        long min = visitors.stream().mapToLong(v -> v.shown().online()).min().orElse(-1);
        long max = visitors.stream().mapToLong(v -> v.shown().online()).max().orElse(-1);
        boolean valueAgrees = visitors.stream().allMatch(v -> v.shown().value() == db.path("value").asLong());
        // the minute buckets hold every visit the counter counted
        long counted = db.path("visits").asLong();
        return new FaultSuite.Row(scenario, visits, counted, online, min, max, valueAgrees, agreed, history, counted);
    }

    /** The visits in the counter's minute buckets since the suite began (each scenario has a counter of its own). */
    private long historyVisits(String counter) {
        String from = started.truncatedTo(ChronoUnit.MINUTES).toString();
        try {
            JsonNode history = JSON.readTree(internal("GET", stack.connectionService().baseUri()
                    .resolve("/history/" + counter + "?resolution=minute&from=" + from), null));
            long sum = 0;
            for (JsonNode bucket : history.path("buckets")) {
                sum += bucket.path("visits").asLong();
            }
            return history.has("buckets") ? sum : -1;
        } catch (Exception e) {
            return -1;
        }
    }

    /** The counter as counter-service reads it from the database; empty while it cannot be read. */
    JsonNode read(String counter) {
        try {
            return JSON.readTree(internal("GET", stack.counterService().baseUri().resolve("/counters/" + counter), null));
        } catch (Exception e) {
            return JSON.createObjectNode();
        }
    }

    /** A call to a service's internal endpoint; the body, or "" when the service cannot be reached. */
    String internal(String method, URI uri, String body) {
        HttpRequest request = InternalCalls.request(stack.internalSecret(), method, uri, body)
                .timeout(Duration.ofSeconds(10))
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
        } catch (java.io.IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
