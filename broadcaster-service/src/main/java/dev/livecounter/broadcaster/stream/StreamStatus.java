package dev.livecounter.broadcaster.stream;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

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

    private volatile State state = State.STARTING;
    private volatile String detail = "";
    private volatile Instant lastBatchAt;
    private volatile long millisBehindLatest = -1;
    private final AtomicLong records = new AtomicLong();

    StreamStatus(MeterRegistry meters) {
        FunctionCounter.builder("livecounter.stream.records", records, AtomicLong::get)
                .description("stream records this replica processed")
                .register(meters);
        Gauge.builder("livecounter.stream.millis.behind.latest", this, StreamStatus::millisBehindLatest)
                .description("how far behind the newest record this replica's shard reader is (-1: no lease)")
                .register(meters);
    }

    void state(State state, String detail) {
        this.state = state;
        this.detail = detail;
    }

    void recordsProcessed(int count, Long millisBehind) {
        records.addAndGet(count);
        lastBatchAt = Instant.now();
        millisBehindLatest = millisBehind == null ? -1 : millisBehind;
    }

    public State state() {
        return state;
    }

    public String detail() {
        return detail;
    }

    /** When this replica last processed a batch (it holds a lease then); null if never. */
    public Instant lastBatchAt() {
        return lastBatchAt;
    }

    public long millisBehindLatest() {
        return millisBehindLatest;
    }

    public long recordsProcessed() {
        return records.get();
    }
}
