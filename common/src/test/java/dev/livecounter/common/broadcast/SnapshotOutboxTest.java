package dev.livecounter.common.broadcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livecounter.common.model.CounterSnapshot;
import dev.livecounter.common.testing.ManualScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The outbox on a clock moved by hand: what goes out when, counted and in order, never a wall-clock wait. */
class SnapshotOutboxTest {

    private static final Duration INTERVAL = Duration.ofMillis(50);

    private final List<CounterSnapshot> sent = new ArrayList<>();
    private final ManualScheduler clock = new ManualScheduler();
    private final SnapshotOutbox outbox = new SnapshotOutbox(INTERVAL, sent::add, clock);

    private static CounterSnapshot home(long version) {
        return new CounterSnapshot("home", version, 1, 0, version, 0);
    }

    @Test
    void aLoneChangeIsSentBeforeTheOfferReturns() {
        outbox.offer(home(1));
        assertEquals(List.of(home(1)), sent, "sent on the offering thread, with no interval or other thread waited for");
    }

    @Test
    void aBurstWithinOneIntervalIsTwoSendsTheFirstAtOnceTheLastTheNewest() {
        for (long version = 1; version <= 20; version++) {
            outbox.offer(home(version));
            clock.advance(Duration.ofMillis(2)); // 20 changes in 40 ms: inside one interval
        }
        outbox.offer(home(7)); // older than what waits: dropped
        assertEquals(List.of(home(1)), sent, "the rest waits for the end of the interval");
        clock.advance(INTERVAL);
        assertEquals(List.of(home(1), home(20)), sent);
        clock.advance(INTERVAL.multipliedBy(10));
        assertEquals(List.of(home(1), home(20)), sent, "nothing newer came, nothing more is sent");
    }

    @Test
    void aSteadyStreamFasterThanTheIntervalIsOneSendPerIntervalEachTheNewest() {
        for (long version = 1; version <= 100; version++) {
            outbox.offer(home(version));
            clock.advance(Duration.ofMillis(10)); // 100 changes a second against one send per 50 ms
        }
        clock.advance(INTERVAL);
        assertEquals(21, sent.size(), "the first at once, then one per interval over the 1,000 ms");
        for (int i = 1; i < sent.size(); i++) {
            assertTrue(sent.get(i).isNewerThan(sent.get(i - 1)), "never an older version after a newer one");
        }
        assertEquals(home(100), sent.get(sent.size() - 1));
    }

    @Test
    void theFirstChangeAfterAQuietIntervalIsSentAtOnceAgain() {
        outbox.offer(home(1));
        outbox.offer(home(2));
        clock.advance(INTERVAL);
        assertEquals(List.of(home(1), home(2)), sent);
        clock.advance(INTERVAL); // a whole interval with nothing new: the counter is quiet again
        outbox.offer(home(3));
        assertEquals(List.of(home(1), home(2), home(3)), sent);
    }

    @Test
    void theSameOrAnOlderVersionThanOneOfferedIsNotSentAgain() {
        outbox.offer(home(5));
        outbox.offer(home(5));
        outbox.offer(home(2));
        clock.advance(INTERVAL.multipliedBy(3));
        assertEquals(List.of(home(5)), sent);
    }

    @Test
    void countersAreCoalescedEachOnItsOwn() {
        outbox.offer(home(1));
        outbox.offer(new CounterSnapshot("about", 1, 1, 0, 1, 0));
        outbox.offer(home(2));
        assertEquals(List.of("home", "about"), sent.stream().map(CounterSnapshot::counter).toList(),
                "another counter's change is not held back by this one's interval");
    }

    @Test
    void aFailingSendDoesNotStopTheCounter() {
        List<CounterSnapshot> tried = new ArrayList<>();
        SnapshotOutbox failing = new SnapshotOutbox(INTERVAL, snapshot -> {
            tried.add(snapshot);
            throw new IllegalStateException("replica gone");
        }, clock);
        failing.offer(home(1));
        failing.offer(home(2));
        clock.advance(INTERVAL);
        assertEquals(List.of(home(1), home(2)), tried);
    }

    @Test
    void nothingIsSentOnceClosed() {
        outbox.offer(home(1));
        outbox.offer(home(2));
        outbox.close();
        outbox.offer(home(3));
        clock.advance(INTERVAL.multipliedBy(3));
        assertEquals(List.of(home(1)), sent, "what waited and what came after the close is left to the stream");
    }
}
