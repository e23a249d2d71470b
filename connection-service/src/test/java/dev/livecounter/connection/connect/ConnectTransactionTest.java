package dev.livecounter.connection.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livecounter.common.model.CounterSnapshot;
import dev.livecounter.common.model.HistoryQuery;
import dev.livecounter.connection.Fixture;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The connect transaction against DynamoDB Local: what it counts, once, whatever is retried. */
class ConnectTransactionTest {

    private final Fixture f = new Fixture();

    @Test
    void aBatchCountsEverySocketVisitAndVisitorOnce() {
        List<ConnectCall> calls = List.of(Fixture.call("a", "v1"), Fixture.call("a", "v2"), Fixture.call("a", null));
        List<ConnectTransaction.Outcome> results = f.connects.connect("a", calls);

        assertEquals(3, results.size());
        results.forEach(r -> assertTrue(r.registered() && r.newVisit()));
        CounterSnapshot after = f.counters.read("a");
        assertEquals(new CounterSnapshot("a", 3, 3, 0, after.version(), 2), after);
        assertEquals(after, new FreshReads(f.counters, 4).after("a", s -> { }).join(), "a read after the commit");
        assertTrue(after.version() > 1_000_000_000_000_000L, "a new counter's version starts from the time");
    }

    @Test
    void aRetriedCallCountsNothingAndAReconnectCountsNoVisit() {
        ConnectCall first = Fixture.call("b", "v1");
        f.connects.connect("b", List.of(first));

        ConnectCall reconnect = Fixture.call("b", first.request().visitId(), "v1");
        List<ConnectTransaction.Outcome> results = f.connects.connect("b", List.of(first, reconnect));

        assertFalse(results.get(0).registered(), "the same connection id again");
        assertTrue(results.get(1).registered());
        assertFalse(results.get(1).newVisit(), "the same page load within the window");
        CounterSnapshot after = f.counters.read("b");
        assertEquals(2, after.online());
        assertEquals(1, after.visits());
        assertEquals(1, after.uniqueToday());
    }

    @Test
    void aVisitorOnTwoPageLoadsIsOneUniqueVisitorOfTheDay() {
        f.connects.connect("c", List.of(Fixture.call("c", "same")));
        f.connects.connect("c", List.of(Fixture.call("c", "same"), Fixture.call("c", "other")));

        CounterSnapshot after = f.counters.read("c");
        assertEquals(3, after.visits());
        assertEquals(2, after.uniqueToday());
        Instant now = Instant.now();
        var day = f.history.read("c", HistoryQuery.parse("day", null, null, now)).buckets();
        assertEquals(3, day.stream().mapToLong(b -> b.visits()).sum(), "the buckets add up to the visits");
        assertEquals(2, day.stream().mapToLong(b -> b.uniqueVisitors()).sum());
    }

    @Test
    void aFullBatchIsOneTransactionAndABatchPastItIsRefusedUnwritten() {
        List<ConnectCall> calls = new ArrayList<>();
        IntStream.range(0, 32).forEach(i -> calls.add(Fixture.call("d", "visitor" + i)));

        List<ConnectTransaction.Outcome> results = f.connects.connect("d", calls); // 32 x 3 items: all 96 a batch may weigh

        assertTrue(results.stream().allMatch(ConnectTransaction.Outcome::registered));
        CounterSnapshot after = f.counters.read("d");
        assertEquals(32, after.online());
        assertEquals(32, after.uniqueToday());
        calls.add(Fixture.call("d", "visitor32"));
        assertThrows(IllegalArgumentException.class, () -> f.connects.connect("d", calls),
                "the connect lanes make no batch past one transaction: one that would pass it is a bug, not split");
        assertEquals(after, f.counters.read("d"), "and nothing of it is written");
    }
}
