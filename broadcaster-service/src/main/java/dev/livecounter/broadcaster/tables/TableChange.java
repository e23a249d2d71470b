package dev.livecounter.broadcaster.tables;

import io.micronaut.core.annotation.Nullable;
import java.math.BigInteger;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Record;

/**
 * One change of an item of a streamed table, as its stream record has it: which shard, where in it, what happened,
 * and the item's keys and images (whole: projection happens per subscription).
 *
 * @param event insert, modify or remove
 */
public record TableChange(String shard, BigInteger sequence, String event, Map<String, AttributeValue> keys,
        @Nullable Map<String, AttributeValue> newImage, @Nullable Map<String, AttributeValue> oldImage) {

    public static TableChange of(String shard, Record record) {
        var data = record.dynamodb();
        return new TableChange(shard, new BigInteger(data.sequenceNumber()),
                record.eventNameAsString().toLowerCase(Locale.ROOT), data.keys(),
                data.hasNewImage() && !data.newImage().isEmpty() ? data.newImage() : null,
                data.hasOldImage() && !data.oldImage().isEmpty() ? data.oldImage() : null);
    }
}
