package dev.livecounter.counter.presses;

import dev.livecounter.common.batch.GroupCommit;
import dev.livecounter.common.model.CounterSnapshot;
import dev.livecounter.counter.config.PressSettings;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Presses, written in batches per counter ({@link GroupCommit}): the presses on one counter that arrive while its
 * previous write is under way are added together in the next one. A thousand presses a second on one counter
 * are then a few dozen writes, not a thousand, and every press still counts exactly once.
 */
@Singleton
public class PressBatcher {

    private final GroupCommit<Press, CounterSnapshot> batches;

    public PressBatcher(PressTransaction transaction, MeterRegistry meters, PressSettings settings) {
        DistributionSummary sizes = DistributionSummary.builder("livecounter.press.batch.size")
                .description("presses written in one transaction")
                .register(meters);
        this.batches = new GroupCommit<>("press-batch", settings.committers(),
                // one transaction writes a press id's marker once: a retry of a press waits for the next batch
                GroupCommit.Limits.<Press>calls(settings.batch())
                        .exclusive(press -> press.id() == null ? List.of() : List.of(press.id())),
                sizes::record, transaction::add);
    }

    /** Completes when the press is written, with the counter after it. */
    public CompletableFuture<CounterSnapshot> press(String counter, Press press) {
        return batches.submit(counter, press);
    }

    @PreDestroy
    public void stop() {
        batches.close();
    }
}
