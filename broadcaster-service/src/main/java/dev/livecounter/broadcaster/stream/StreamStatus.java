package dev.livecounter.broadcaster.stream;

import dev.livecounter.common.metrics.MetricNames;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
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
    /** Shards whose lease this replica holds and reads: between a reader's start and its end. */
    private final AtomicInteger shardsHeld = new AtomicInteger();

    StreamStatus(MeterRegistry meters) {
        FunctionCounter.builder("livecounter.stream.records", this, status -> status.progress().records())
                .description("stream records this replica processed")
                .register(meters);
        Gauge.builder("livecounter.stream.millis.behind.latest", this, status -> status.progress().millisBehindLatest())
                .description("how far behind the newest record this replica's shard reader is (-1: no lease)")
                .register(meters);
        Gauge.builder(MetricNames.STREAM_SHARDS_HELD, shardsHeld, AtomicInteger::get)
                .description("stream shards whose lease this replica holds and reads")
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

    /** A shard reader started (this replica took the shard's lease). */
    void shardOpened() {
        shardsHeld.incrementAndGet();
    }

    /** A shard reader ended: its lease was lost, its shard ended, or the consumer stops. */
    void shardClosed() {
        shardsHeld.updateAndGet(held -> Math.max(0, held - 1));
    }

    public Phase phase() {
        return phase;
    }

    public Progress progress() {
        return progress.get();
    }
}
