package dev.livecounter.common.broadcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.livecounter.common.model.CounterSnapshot;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SnapshotOutboxTest {

    private final BlockingQueue<CounterSnapshot> sent = new LinkedBlockingQueue<>();

    private static CounterSnapshot home(long version) {
        return new CounterSnapshot("home", version, 1, 0, version, 0);
    }

    private CounterSnapshot next() throws InterruptedException {
        return sent.poll(5, TimeUnit.SECONDS);
    }

    /** An outbox that was quiet and has just sent {@code home(version)} at once, as the first change it saw. */
    private SnapshotOutbox firstSent(Duration interval, long version) throws InterruptedException {
        SnapshotOutbox outbox = new SnapshotOutbox("test-outbox", interval, sent::add);
        outbox.offer(home(version));
        assertEquals(home(version), next(), "the first change after a quiet interval goes at once");
        return outbox;
    }

    /**
     * The intervals are long enough that a test thread descheduled on a loaded machine does not see one pass between
     * two offers of a burst (which would rightly send the first of them on its own).
     */
    @Test
    void aBurstSendsTheFirstChangeAtOnceThenOnlyTheNewest() throws InterruptedException {
        try (SnapshotOutbox outbox = firstSent(Duration.ofSeconds(2), 1)) {
            outbox.offer(home(2));
            outbox.offer(home(4));
            outbox.offer(home(3)); // older than what is pending: dropped
            assertEquals(home(4), next());
            assertNull(sent.poll(2500, TimeUnit.MILLISECONDS), "nothing newer was offered, nothing more is sent");
        }
    }

    @Test
    void anOlderVersionThanOneSentIsNeverSent() throws InterruptedException {
        try (SnapshotOutbox outbox = firstSent(Duration.ofMillis(100), 5)) {
            outbox.offer(home(5));
            outbox.offer(home(2));
            assertNull(sent.poll(500, TimeUnit.MILLISECONDS), "neither the same nor an older version is sent");
            outbox.offer(home(6));
            assertEquals(home(6), next());
        }
    }

    @Test
    void countersAreCoalescedEachOnItsOwn() throws InterruptedException {
        try (SnapshotOutbox outbox = new SnapshotOutbox("test-outbox", Duration.ofSeconds(10), sent::add)) {
            outbox.offer(home(1));
            outbox.offer(new CounterSnapshot("about", 1, 1, 0, 1, 0));
            assertEquals(2, java.util.stream.Stream.of(next(), next()).map(CounterSnapshot::counter).distinct().count());
        }
    }
}
