package dev.livecounter.broadcaster.tables;

import dev.livecounter.common.metrics.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import java.util.concurrent.TimeUnit;

/** What the streamed tables do on this replica, by table: changes taken, frames encoded, gaps, subscribes. */
@Singleton
class TableMetrics {

    private final MeterRegistry meters;

    TableMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    /** One table's meters, registered once (a topic records on them for every change, on its hot path). */
    TableMeters of(String table) {
        return new TableMeters(
                Counter.builder(MetricNames.TABLE_CHANGES).description("table changes taken by this replica")
                        .tag("table", table).register(meters),
                Counter.builder(MetricNames.TABLE_FRAMES).description("change frames encoded (one per subscription group)")
                        .tag("table", table).register(meters),
                Timer.builder(MetricNames.TABLE_EVALUATION).description("from a change's arrival to its frames queued")
                        .tag("table", table).register(meters),
                Counter.builder(MetricNames.TABLE_GAPS).description("holes in a table's changes seen by this replica")
                        .tag("table", table).register(meters));
    }

    /** A table's meters. */
    record TableMeters(Counter changes, Counter frames, Timer evaluation, Counter gaps) {

        /** A change went through the topic: {@code frames} groups encoded a frame for it, {@code nanos} since it came. */
        void change(int encoded, long nanos) {
            changes.increment();
            frames.increment(encoded);
            evaluation.record(nanos, TimeUnit.NANOSECONDS);
        }

        /** Changes of a shard never reached this replica: its subscribers get a gap and a fresh snapshot. */
        void gap() {
            gaps.increment();
        }
    }

    /** A subscribe's outcome: ok, or the error code it was refused with. */
    void subscribe(String outcome) {
        Counter.builder(MetricNames.TABLE_SUBSCRIBES).description("subscribe messages by outcome")
                .tag(MetricNames.OUTCOME, outcome).register(meters).increment();
    }
}
