package dev.livecounter.counter.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.livecounter.common.model.CounterSnapshot;
import dev.livecounter.counter.config.PressSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Presses from many callers at once, batched per counter: each counts exactly once. */
class PressBatcherTest {

    @Test
    void aThousandConcurrentPressesCountAThousand() {
        LocalCounters local = new LocalCounters();
        local.create("busy");
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        PressBatcher batcher = new PressBatcher(local.repository, meters, new PressSettings(1000, 8));
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
        assertEquals(true, batches < 1000, "presses were written together: " + batches + " batches");
    }
}
