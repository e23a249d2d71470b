package dev.livecounter.broadcaster.stream;

/** A stream's records for one application table, delivered in shard order. */
public interface TableRecords {

    /** The application tables to consume (their streams), besides the counters table. */
    java.util.List<String> tables();

    /**
     * One batch of one shard of {@code table}'s stream, in order. {@code previous} is the sequence number just
     * before the first record in this shard as this processor knows it: the checkpoint it started from, the last
     * record of its previous batch, or null at the shard's start (TRIM_HORIZON of a never-checkpointed shard).
     */
    void accept(String table, String shardId, String previous, java.util.List<software.amazon.awssdk.services.dynamodb.model.Record> records);
}
