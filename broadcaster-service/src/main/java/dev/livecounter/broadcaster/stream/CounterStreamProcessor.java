package dev.livecounter.broadcaster.stream;

import com.amazonaws.services.dynamodbv2.streamsadapter.adapter.DynamoDBStreamsClientRecord;
import com.amazonaws.services.dynamodbv2.streamsadapter.model.DynamoDBStreamsProcessRecordsInput;
import com.amazonaws.services.dynamodbv2.streamsadapter.processor.DynamoDBStreamsShardRecordProcessor;
import dev.livecounter.common.counters.CounterItems;
import dev.livecounter.common.model.CounterSnapshot;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.kinesis.exceptions.InvalidStateException;
import software.amazon.kinesis.exceptions.KinesisClientLibException;
import software.amazon.kinesis.exceptions.ShutdownException;
import software.amazon.kinesis.lifecycle.events.InitializationInput;
import software.amazon.kinesis.lifecycle.events.LeaseLostInput;
import software.amazon.kinesis.lifecycle.events.ShardEndedInput;
import software.amazon.kinesis.lifecycle.events.ShutdownRequestedInput;
import software.amazon.kinesis.processor.RecordProcessorCheckpointer;
import software.amazon.kinesis.retrieval.KinesisClientRecord;

/**
 * Reads one shard of the counters stream (the DBStreamProcessor part): each batch's newest image per counter is
 * broadcast to every replica, then the batch is checkpointed. Across a failover a record may be processed
 * twice; pages drop versions they already have, so that is harmless.
 */
final class CounterStreamProcessor implements DynamoDBStreamsShardRecordProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(CounterStreamProcessor.class);

    /** {@code PeerFanout::streamChange}: to every replica. */
    private final Consumer<CounterSnapshot> fanout;
    private final StreamStatus status;
    private String shardId = "?";

    CounterStreamProcessor(Consumer<CounterSnapshot> fanout, StreamStatus status) {
        this.fanout = fanout;
        this.status = status;
    }

    @Override
    public void initialize(InitializationInput input) {
        shardId = input.shardId();
        status.shardOpened();
        LOG.info("Reading shard {} from {}", shardId, input.extendedSequenceNumber());
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
                CounterSnapshot snapshot = CounterItems.toSnapshot(image);
                newest.merge(snapshot.counter(), snapshot, (a, b) -> b.isNewerThan(a) ? b : a);
            }
            newest.values().forEach(fanout);
            status.recordsProcessed(input.records().size(), input.millisBehindLatest());
            checkpoint(input.checkpointer());
        } finally {
            MDC.remove("shardId");
        }
    }

    @Override
    public void leaseLost(LeaseLostInput input) {
        LOG.info("Lost the lease of shard {}; another replica reads it now", shardId);
        status.shardClosed();
    }

    @Override
    public void shardEnded(ShardEndedInput input) {
        status.shardClosed();
        checkpoint(input.checkpointer());
    }

    @Override
    public void shutdownRequested(ShutdownRequestedInput input) {
        status.shardClosed();
        checkpoint(input.checkpointer());
    }

    private void checkpoint(RecordProcessorCheckpointer checkpointer) {
        try {
            checkpointer.checkpoint();
        } catch (ShutdownException | InvalidStateException e) {
            // the lease moved or the lease table is unreachable: the next holder resumes from the last checkpoint
            LOG.warn("Checkpoint of shard {} failed: {}", shardId, e.toString());
        } catch (KinesisClientLibException e) {
            LOG.warn("Checkpoint of shard {} failed, will retry with the next batch: {}", shardId, e.toString());
        }
    }
}
