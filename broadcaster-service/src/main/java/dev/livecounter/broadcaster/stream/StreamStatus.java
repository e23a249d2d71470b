package dev.livecounter.broadcaster.stream;

import dev.livecounter.common.metrics.MetricNames;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the stream consumer is doing, for health and metrics: the counters table's stream ({@link #phase()}) and
 * each streamed application table's ({@link #tables()}); the records and shards are this replica's over all of them.
 */
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

    /**
     * One application table's stream.
     *
     * @param phase       what its scheduler is doing
     * @param records     its records this replica processed (accepted)
     * @param lastBatchAt when its last batch was accepted here; null: never
     */
    public record TableStream(Phase phase, long records, Instant lastBatchAt) {}

    private volatile Phase phase = new Phase(State.STARTING, "");
    private final Map<String, TableStream> tables = new ConcurrentSkipListMap<>();
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

    /** The counters table's stream. */
    void state(State state, String detail) {
        phase = new Phase(state, detail);
    }

    /** An application table's stream. */
    void state(String table, State state, String detail) {
        tables.compute(table, (t, was) -> was == null
                ? new TableStream(new Phase(state, detail), 0, null)
                : new TableStream(new Phase(state, detail), was.records(), was.lastBatchAt()));
    }

    /** A batch of {@code count} records of {@code table}'s stream was accepted. */
    void recordsProcessed(String table, int count, Long millisBehind) {
        recordsProcessed(count, millisBehind);
        Instant now = Instant.now();
        tables.computeIfPresent(table, (t, was) -> new TableStream(was.phase(), was.records() + count, now));
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

    /** The counters table's stream. */
    public Phase phase() {
        return phase;
    }

    /** Each streamed application table's stream, by table name (none when no table is streamed). */
    public Map<String, TableStream> tables() {
        return Map.copyOf(tables);
    }

    /** Whether any stream, the counters' or a table's, has failed: the replica is then unhealthy. */
    public Progress progress() {
        return progress.get();
    }
}
