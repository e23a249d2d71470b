package dev.livecounter.connection.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livecounter.common.model.History;
import dev.livecounter.common.model.HistoryQuery;
import dev.livecounter.common.model.Resolution;
import dev.livecounter.connection.Fixture;
import dev.livecounter.connection.connect.ConnectCall;
import dev.livecounter.connection.history.HistoryRepository;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** A history answer says which visits it holds: its {@code visits} is the total its buckets are consistent with. */
class HistoryReadTest {

    private final Fixture f = new Fixture();

    @Test
    void theAnswerHoldsTheCountersVisitsInEveryResolution() {
        f.connects.connect("h", List.of(Fixture.call("h", "v1"), Fixture.call("h", "v2"), Fixture.call("h", null)));
        for (Resolution r : Resolution.values()) {
            History history = f.history.read("h", HistoryQuery.parse(r.id(), null, null, Instant.now()));
            assertEquals(3, history.visits(), r.id());
            assertEquals(3, sum(history), r.id());
        }
        assertEquals(0, f.history.read("nobody", HistoryQuery.parse(null, null, null, Instant.now())).visits(),
                "a counter never visited: 0 visits, all buckets empty");
    }

    @Test
    void readsWhileVisitsArriveHoldExactlyTheVisitsTheySay() {
        AtomicBoolean writing = new AtomicBoolean(true);
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try {
                for (int batch = 0; batch < 80; batch++) {
                    List<ConnectCall> calls = new ArrayList<>();
                    for (int i = 0; i <= batch % 4; i++) {
                        calls.add(Fixture.call("busy", batch % 3 == 0 ? null : "v" + batch + "-" + i));
                    }
                    f.connects.connect("busy", calls);
                }
            } finally {
                writing.set(false);
            }
        });
        int reads = 0;
        long last = 0;
        while (writing.get() || reads < 20) {
            History history = f.history.read("busy", HistoryQuery.parse("minute", null, null, Instant.now()));
            assertEquals(history.visits(), sum(history), "read " + reads + ": the buckets hold exactly the visits it says");
            assertTrue(history.visits() >= last, "never older than an earlier read");
            last = history.visits();
            reads++;
        }
        writer.join();
        assertEquals(f.counters.read("busy").visits(), last, "the last read, after the writes, holds them all");
    }

    @Test
    void onlyTheBucketsThatMayStillBeWrittenAreReadWithTheCounter() {
        Instant day = Instant.parse("2026-11-30T00:00:00Z");
        for (long second = 0; second < 86_400; second += 37) {
            Instant now = day.plusSeconds(second);
            for (Resolution r : Resolution.values()) {
                List<Instant> starts = HistoryQuery.parse(r.id(), null, null, now).starts();
                long open = starts.stream().filter(s -> HistoryRepository.mayChange(r, s, now)).count();
                assertTrue(open >= 1 && open <= (r == Resolution.MINUTE ? 12 : 2), r.id() + " at " + now + ": " + open);
                assertTrue(HistoryRepository.mayChange(r, starts.get(starts.size() - 1), now), "the current one");
                Instant settledEnd = now.minus(HistoryRepository.SETTLE).minusSeconds(1);
                assertTrue(!HistoryRepository.mayChange(r, r.minus(r.truncate(settledEnd), 1), now),
                        "a bucket that ended before the settle time is final");
            }
        }
        assertEquals(Duration.ofMinutes(10), HistoryRepository.SETTLE);
    }

    private static long sum(History history) {
        return history.buckets().stream().mapToLong(History.Bucket::visits).sum();
    }
}
