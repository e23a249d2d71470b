package dev.livecounter.connection.history;

import dev.livecounter.common.dynamodb.TableSettings;
import dev.livecounter.common.model.Resolution;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The history's part of a connect transaction: one {@code ADD} per bucket (minute, hour, day) of the counter.
 * Written in the same transaction as the visit markers whose conditions decide which connects are visits, the
 * buckets add up to exactly the visits the counter counted, whatever is retried or replayed.
 */
@Singleton
public final class HistoryItems {

    /**
     * A connect transaction's buckets are those of the moment its batch began; it is not written once this much has
     * passed since (it is abandoned, the calls fail and are retried as new connects), so a bucket is final a bounded
     * time after its end and the history reads it apart from the counter ({@code HistoryRepository.SETTLE}).
     */
    public static final Duration WRITTEN_WITHIN = Duration.ofMinutes(5);

    /** Items the buckets add to a connect transaction. */
    public static final int BUCKET_ITEMS = Resolution.values().length;

    private final TableSettings tables;

    public HistoryItems(TableSettings tables) {
        this.tables = tables;
    }

    /**
     * The bucket updates of one transaction that counts {@code visits} new visits at {@code now}.
     *
     * @param uniques visitors new to each bucket, by {@link Resolution#ordinal()}
     */
    public List<TransactWriteItem> buckets(String counter, long visits, long[] uniques, Instant now) {
        List<TransactWriteItem> items = new ArrayList<>(BUCKET_ITEMS);
        for (Resolution r : Resolution.values()) {
            Instant start = r.truncate(now);
            Map<String, String> names = new HashMap<>(Map.of(
                    "#visits", HistoryTable.VISITS, "#unique", HistoryTable.UNIQUE_VISITORS));
            Map<String, AttributeValue> values = new HashMap<>(Map.of(
                    ":visits", number(visits), ":unique", number(uniques[r.ordinal()])));
            String expression = "ADD #visits :visits, #unique :unique";
            if (r.retention() != null) {
                // kept a little past its retention: reads never ask for it (HistoryQuery), TTL removes it lazily
                names.put("#exp", HistoryTable.EXPIRES_AT);
                values.put(":exp", number(start.plus(r.retention()).plus(r.retention().dividedBy(24)).getEpochSecond()));
                expression += " SET #exp = :exp";
            }
            String update = expression;
            items.add(TransactWriteItem.builder()
                    .update(u -> u.tableName(tables.history())
                            .key(HistoryTable.key(counter, r, HistoryTable.start(start)))
                            .updateExpression(update)
                            .expressionAttributeNames(names)
                            .expressionAttributeValues(values))
                    .build());
        }
        return items;
    }

    static AttributeValue number(long n) {
        return AttributeValue.fromN(Long.toString(n));
    }
}
