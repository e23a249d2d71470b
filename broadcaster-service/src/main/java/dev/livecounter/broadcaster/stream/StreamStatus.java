package dev.livecounter.broadcaster.stream;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/** What the stream consumer is doing, for health and metrics. */
@Singleton
public class StreamStatus {

    /** Phases of the consumer. */
    public enum State {
        STARTING,
        WAITING_FOR_TABLE,
        RUNNING,
        STOPPED,
        FAILED,
        DISABLED
    }

    /** The consumer's phase and what it says about it (a stream ARN, a failure), set together. */
    public record Phase(State state, String detail) {}

    /**
     * The batches this replica processed.
     *
     * @param records            stream records processed
     * @param lastBatchAt        when the last batch was processed (this replica holds a lease then); null: never
     * @param millisBehindLatest how far behind the newest record the last batch's shard reader was; -1: unknown
     */
    public record Progress(long records, Instant lastBatchAt, long millisBehindLatest) {}

    private volatile Phase phase = new Phase(State.STARTING, "");
    private final AtomicReference<Progress> progress = new AtomicReference<>(new Progress(0, null, -1));

    StreamStatus(MeterRegistry meters) {
        FunctionCounter.builder("livecounter.stream.records", this, status -> status.progress().records())
                .description("stream records this replica processed")
                .register(meters);
        Gauge.builder("livecounter.stream.millis.behind.latest", this, status -> status.progress().millisBehindLatest())
                .description("how far behind the newest record this replica's shard reader is (-1: no lease)")
                .register(meters);
    }

    void state(State state, String detail) {
        phase = new Phase(state, detail);
    }

    /** A batch of {@code count} records was processed by one of the shard readers (they run side by side). */
    void recordsProcessed(int count, Long millisBehind) {
        Instant now = Instant.now();
        long behind = millisBehind == null ? -1 : millisBehind;
        progress.updateAndGet(p -> new Progress(p.records() + count, now, behind));
    }

    public Phase phase() {
        return phase;
    }

    public Progress progress() {
        return progress.get();
    }
}
