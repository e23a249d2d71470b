package dev.livecounter.broadcaster.stream;

import com.amazonaws.services.dynamodbv2.streamsadapter.adapter.DynamoDBStreamsClientRecord;
import com.amazonaws.services.dynamodbv2.streamsadapter.model.DynamoDBStreamsProcessRecordsInput;
import dev.livecounter.common.counters.CounterTable;
import dev.livecounter.common.model.CounterSnapshot;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.MDC;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.kinesis.retrieval.KinesisClientRecord;

/**
 * Reads one shard of the counters stream (the DBStreamProcessor part): each batch's newest image per counter is
 * broadcast to every replica, then the batch is checkpointed. Across a failover a record may be processed
 * twice; pages drop versions they already have, so that is harmless.
 */
final class CounterStreamProcessor extends ShardProcessor {

    /** {@code PeerFanout::streamChange}: to every replica. */
    private final Consumer<CounterSnapshot> fanout;

    CounterStreamProcessor(Consumer<CounterSnapshot> fanout, StreamStatus status) {
        super(status, "the counters stream");
        this.fanout = fanout;
    }

    @Override
    public void processRecords(DynamoDBStreamsProcessRecordsInput input) {
        MDC.put("shardId", shardId);
        try {
            Map<String, CounterSnapshot> newest = new LinkedHashMap<>();
            for (KinesisClientRecord record : input.records()) {
                Map<String, AttributeValue> image = ((DynamoDBStreamsClientRecord) record).getRecord().dynamodb().newImage();
                if (image == null || image.isEmpty()) {
                    continue; // a deleted counter: nothing to show
                }
                CounterSnapshot snapshot = CounterTable.snapshot(image);
                newest.merge(snapshot.counter(), snapshot, (a, b) -> b.isNewerThan(a) ? b : a);
            }
            newest.values().forEach(fanout);
            status.recordsProcessed(input.records().size(), input.millisBehindLatest());
            checkpoint(input.checkpointer());
        } finally {
            MDC.remove("shardId");
        }
    }
}
