package dev.livecounter.counter.presses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livecounter.common.model.CounterSnapshot;
import dev.livecounter.counter.LocalCounters;
import dev.livecounter.counter.config.PressSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Presses from many callers at once, batched per counter: each counts exactly once. */
class PressBatcherTest {

    private final LocalCounters local = new LocalCounters();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @Test
    void aThousandConcurrentPressesCountAThousand() {
        local.create("busy");
        PressBatcher batcher = new PressBatcher(local.presses, meters, new PressSettings(1000, 8));
        try {
            List<CompletableFuture<CounterSnapshot>> presses = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                presses.add(batcher.press("busy", new Press(1, "id" + i)));
            }
            presses.forEach(CompletableFuture::join);
        } finally {
            batcher.stop();
        }
        assertEquals(1000, local.counters.read("busy").value());
        long batches = meters.get("livecounter.press.batch.size").summary().count();
        assertEquals(1000, (long) meters.get("livecounter.press.batch.size").summary().totalAmount());
        assertTrue(batches < 1000, "presses were written together: " + batches + " batches");
    }

    @Test
    void aPressSentAgainWhileItsFirstCopyWaitsCountsOnce() {
        local.create("again");
        PressBatcher batcher = new PressBatcher(local.presses, meters, new PressSettings(1000, 1));
        try {
            List<CompletableFuture<CounterSnapshot>> copies = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                copies.add(batcher.press("again", new Press(1, "same")));
            }
            copies.forEach(CompletableFuture::join);
        } finally {
            batcher.stop();
        }
        assertEquals(1, local.counters.read("again").value(), "one id, one press: never twice in one transaction");
    }
}
