package dev.livecounter.broadcaster.stream;

import com.amazonaws.services.dynamodbv2.streamsadapter.processor.DynamoDBStreamsShardRecordProcessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.kinesis.exceptions.InvalidStateException;
import software.amazon.kinesis.exceptions.KinesisClientLibException;
import software.amazon.kinesis.exceptions.ShutdownException;
import software.amazon.kinesis.lifecycle.events.InitializationInput;
import software.amazon.kinesis.lifecycle.events.LeaseLostInput;
import software.amazon.kinesis.lifecycle.events.ShardEndedInput;
import software.amazon.kinesis.lifecycle.events.ShutdownRequestedInput;
import software.amazon.kinesis.processor.RecordProcessorCheckpointer;

/**
 * What every shard processor here does alike: the shard's life in {@link StreamStatus}, and a checkpoint whose
 * failure is logged, never thrown (the next holder of the lease resumes from the last checkpoint that held).
 */
abstract class ShardProcessor implements DynamoDBStreamsShardRecordProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(ShardProcessor.class);

    final StreamStatus status;
    /** What this processor reads, for the logs: "the counters stream", "orders's stream". */
    private final String stream;
    String shardId = "?";

    ShardProcessor(StreamStatus status, String stream) {
        this.status = status;
        this.stream = stream;
    }

    @Override
    public void initialize(InitializationInput input) {
        shardId = input.shardId();
        status.shardOpened();
        LOG.info("Reading shard {} of {} from {}", shardId, stream, input.extendedSequenceNumber());
    }

    @Override
    public void leaseLost(LeaseLostInput input) {
        LOG.info("Lost the lease of shard {} of {}; another replica reads it now", shardId, stream);
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

    void checkpoint(RecordProcessorCheckpointer checkpointer) {
        try {
            checkpointer.checkpoint();
        } catch (ShutdownException | InvalidStateException e) {
            // the lease moved or the lease table is unreachable: the next holder resumes from the last checkpoint
            LOG.warn("Checkpoint of shard {} of {} failed: {}", shardId, stream, e.toString());
        } catch (KinesisClientLibException e) {
            LOG.warn("Checkpoint of shard {} of {} failed, will retry with the next batch: {}", shardId, stream, e.toString());
        }
    }
}
