package dev.livecounter.broadcaster.stream;

import com.amazonaws.services.dynamodbv2.streamsadapter.adapter.DynamoDBStreamsClientRecord;
import com.amazonaws.services.dynamodbv2.streamsadapter.model.DynamoDBStreamsProcessRecordsInput;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.kinesis.lifecycle.events.InitializationInput;
import software.amazon.kinesis.retrieval.KinesisClientRecord;
import software.amazon.kinesis.retrieval.kpl.ExtendedSequenceNumber;

/**
 * Reads one shard of an application table's stream and hands each batch, in order, to {@link TableRecords} with
 * the sequence number just before it; checkpoints once {@code accept} has returned. What {@code accept} did with
 * the batch is its business: a failure leaves the batch unchecked-pointed and {@code previous} where it was, so
 * the next batch shows the gap.
 */
final class TableStreamProcessor extends ShardProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(TableStreamProcessor.class);

    private final String table;
    private final TableRecords sink;
    /** The last sequence number accepted in this shard (or the checkpoint started from); null: none yet. */
    private String previous;

    TableStreamProcessor(String table, TableRecords sink, StreamStatus status) {
        super(status, table + "'s stream");
        this.table = table;
        this.sink = sink;
    }

    @Override
    public void initialize(InitializationInput input) {
        previous = sequenceNumber(input.extendedSequenceNumber());
        super.initialize(input);
    }

    /** A real checkpoint's sequence number; null for TRIM_HORIZON, LATEST, AT_TIMESTAMP, SHARD_END. */
    static String sequenceNumber(ExtendedSequenceNumber at) {
        return at == null || at.isSentinelCheckpoint() ? null : at.sequenceNumber();
    }

    @Override
    public void processRecords(DynamoDBStreamsProcessRecordsInput input) {
        if (input.records().isEmpty()) {
            return;
        }
        MDC.put("shardId", shardId);
        try {
            List<Record> records = new ArrayList<>(input.records().size());
            for (KinesisClientRecord record : input.records()) {
                records.add(((DynamoDBStreamsClientRecord) record).getRecord());
            }
            try {
                sink.accept(table, shardId, previous, List.copyOf(records));
            } catch (RuntimeException e) {
                LOG.error("Records {}..{} of shard {} of {}'s stream were not accepted; not checkpointed: {}",
                        records.get(0).dynamodb().sequenceNumber(),
                        records.get(records.size() - 1).dynamodb().sequenceNumber(), shardId, table, e.toString(), e);
                return;
            }
            previous = records.get(records.size() - 1).dynamodb().sequenceNumber();
            status.recordsProcessed(table, records.size(), input.millisBehindLatest());
            checkpoint(input.checkpointer());
        } finally {
            MDC.remove("shardId");
        }
    }
}
