package dev.livecounter.broadcaster.stream;

/**
 * A stream's records for one application table, delivered in shard order.
 *
 * <p>Implemented by whoever owns the streamed tables' configuration ({@code livecounter.streamed-tables}); when
 * no bean implements it, the broadcaster consumes the counters table's stream only. {@link StreamConsumer} runs one
 * KCL scheduler (its own application and lease table, {@code <stream application>-<table>}) per table.
 *
 * <p>Within one shard, calls come from one thread, one batch after the other. When {@code accept} throws, the
 * batch is not checkpointed and the next batch's {@code previous} is still the last record of the last batch
 * that was accepted: a {@code previous} other than the last sequence number the implementation saw in that shard
 * means records were skipped (or, after a lease moved, that some come again).
 */
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
