package dev.livecounter.connection.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livecounter.common.model.CounterSnapshot;
import dev.livecounter.connection.Fixture;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Reads after commits: each sees every commit made before it was asked for, and is published once. */
class FreshReadsTest {

    @Test
    void everyReadSeesTheCommitsBeforeItAndCommitsWaitingTogetherShareOneRead() {
        Fixture f = new Fixture();
        FreshReads reads = new FreshReads(f.counters, 4);
        AtomicInteger published = new AtomicInteger();
        List<CompletableFuture<CounterSnapshot>> asked = new ArrayList<>();
        List<Long> onlineWhenAsked = new ArrayList<>();
        for (int i = 1; i <= 30; i++) {
            f.connects.connect("a", List.of(Fixture.call("a", null)));
            onlineWhenAsked.add((long) i);
            asked.add(reads.after("a", snapshot -> published.incrementAndGet()));
        }

        for (int i = 0; i < asked.size(); i++) {
            assertTrue(asked.get(i).join().online() >= onlineWhenAsked.get(i), "read " + i + " saw its commit");
        }
        Set<CompletableFuture<CounterSnapshot>> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
        distinct.addAll(asked);
        assertEquals(distinct.size(), published.get(), "one publication per read, however many joined it");
        assertEquals(30, reads.after("a", s -> { }).join().online());
        reads.stop();
    }
}
