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

    /**
     * How long pages and database must go on agreeing before a row counts as agreed: longer than a connect can stay
     * in doubt (the broadcaster's 5 s read timeout, then its 6 s wait before it takes back a connect that may have
     * landed). An outage can leave such a connect written after its socket was closed, and the page that reconnects
     * counts once more until the broadcaster takes it back: pages and database may agree for a moment on the way.
     */
    private static final Duration HOLD = Duration.ofSeconds(12);

    /**
     * Waits until every page and the database show {@code visits} and {@code online}, and go on showing them for
     * {@link #HOLD}; the row says how long it took until they agreed for good (from {@code since}), and is made of
     * the same look at pages and database that it judges.
     */
    FaultSuite.Row agree(String scenario, String counter, List<Visitor> visitors, long visits, long online, long since) {
        return agree(scenario, counter, visitors, visits, online, since, HOLD);
    }

    private FaultSuite.Row agree(String scenario, String counter, List<Visitor> visitors, long visits, long online,
            long since, Duration hold) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        long agreedAt = -1;
        while (true) {
            JsonNode db = read(counter);
            List<Visitor.Shown> shown = visitors.stream().map(v -> v.isOpen() ? v.shown() : Visitor.Shown.NOTHING).toList();
            long value = db.path("value").asLong();
            boolean agreed = shown.stream().allMatch(s -> s.shows(visits, online, value))
                    && db.path("visits").asLong() == visits && db.path("online").asLong() == online;
            long now = System.nanoTime();
            agreedAt = agreed ? (agreedAt < 0 ? now : agreedAt) : -1;
            if (agreed && now - agreedAt >= hold.toNanos()) {
                return row(scenario, online, shown, db, Duration.ofNanos(agreedAt - since), historyVisits(counter), visits);
            }
            if (now > deadline) {
                return row(scenario, online, shown, db, null, historyVisits(counter), visits);
            }
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
    }

    /**
     * Fails unless the pages and the database agree before a fault is made, and stay so for a second: presses still
     * under way can make them agree on a value the database is only passing through.
     */
    void awaitSettled(String counter, List<Visitor> visitors, long online) {
        FaultSuite.Row row = agree("settle", counter, visitors, visitors.size(), online, System.nanoTime(), Duration.ofSeconds(1));
        if (!row.exact()) {
            throw new IllegalStateException("the system did not settle before the fault: " + row.format());
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

    private static FaultSuite.Row row(String scenario, long online, List<Visitor.Shown> shown, JsonNode db, Duration agreed,
            long history, long visits) {
        long min = shown.stream().mapToLong(Visitor.Shown::online).min().orElse(-1);
        long max = shown.stream().mapToLong(Visitor.Shown::online).max().orElse(-1);
        boolean valueAgrees = shown.stream().allMatch(s -> s.value() == db.path("value").asLong());
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
