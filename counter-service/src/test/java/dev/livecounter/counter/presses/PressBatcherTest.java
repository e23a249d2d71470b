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
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/** Presses from many callers at once, batched per counter: each counts exactly once. */
class PressBatcherTest {

    private final LocalCounters local = new LocalCounters();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @Test
    void aThousandConcurrentPressesCountAThousand() {
        pressAtOnce("busy", 8, 1000, i -> new Press(1, "id" + i));
        assertEquals(1000, local.counters.read("busy").value());
        long batches = meters.get("livecounter.press.batch.size").summary().count();
        assertEquals(1000, (long) meters.get("livecounter.press.batch.size").summary().totalAmount());
        assertTrue(batches < 1000, "presses were written together: " + batches + " batches");
    }

    @Test
    void aPressSentAgainWhileItsFirstCopyWaitsCountsOnce() {
        pressAtOnce("again", 1, 20, i -> new Press(1, "same"));
        assertEquals(1, local.counters.read("again").value(), "one id, one press: never twice in one transaction");
    }

    /** Sends {@code count} presses to a new counter at once, through a batcher of {@code committers}, and waits for all. */
    private void pressAtOnce(String counter, int committers, int count, IntFunction<Press> press) {
        local.create(counter);
        PressBatcher batcher = new PressBatcher(local.presses, meters, new PressSettings(1000, committers));
        try {
            List<CompletableFuture<CounterSnapshot>> presses = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                presses.add(batcher.press(counter, press.apply(i)));
            }
            presses.forEach(CompletableFuture::join);
        } finally {
            batcher.stop();
        }
    }
}
