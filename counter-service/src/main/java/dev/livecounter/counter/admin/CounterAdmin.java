package dev.livecounter.counter.admin;

import dev.livecounter.common.counters.CounterStore;
import dev.livecounter.common.counters.CounterTable;
import dev.livecounter.common.counters.CounterUpdate;
import dev.livecounter.common.model.CounterSnapshot;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * What an operator does to counters, the supported way: list them, reset one, delete one (never a raw DeleteItem under
 * open pages). A reset is a
 * change like any other: its version is newer, so every page shows it at once; {@code online} is left alone, as
 * the sockets it counts are still open. A delete is refused while pages are open, so no close can later find the
 * counter gone.
 *
 * <p>The rule of a reset: a page never shows more unique visitors than visits. So a reset of the visits resets the
 * day's unique visitors with them (a visitor already counted today before it is not counted again today: the
 * day's visitor markers stay, so {@code uniqueToday} counts visitors new today since the reset, never more than the
 * visits since it). The history's buckets are not touched: they are what happened, each bucket's unique visitors
 * within its own visits; the visits the reset took off are kept on the item ({@code visitsBeforeReset}), so the
 * day buckets still add up to {@code visits + visitsBeforeReset}, the check connection-service's reconciler makes.
 */
@Singleton
public final class CounterAdmin {

    private final DynamoDbClient dynamoDb;
    private final CounterStore counters;

    public CounterAdmin(DynamoDbClient dynamoDb, CounterStore counters) {
        this.dynamoDb = dynamoDb;
        this.counters = counters;
    }

    /**
     * Sets the shared value (and, with {@code visits}, the visits and today's unique visitors) back to zero.
     *
     * @return the counter after the reset, or null when there is no such counter
     */
    public CounterSnapshot reset(String counter, boolean visits) {
        CounterUpdate update = counters.update(counter, Instant.now())
                .set(CounterTable.VALUE, 0)
                .name(CounterTable.NAME)
                .when("attribute_exists(#name)", Map.of());
        if (visits) {
            update.zeroInto(CounterTable.VISITS, CounterTable.VISITS_BEFORE_RESET)
                    .set(CounterTable.UNIQUE_TODAY, 0);
        }
        try {
            return CounterTable.snapshot(counter,
                    dynamoDb.updateItem(update.request().returnValues(ReturnValue.ALL_NEW).build()).attributes());
        } catch (ConditionalCheckFailedException missing) {
            return null;
        }
    }

    /** Deletes the counter when no page has it open; false when some do (or it did not exist). */
    public boolean delete(String counter) {
        try {
            dynamoDb.deleteItem(r -> r.tableName(counters.table())
                    .key(CounterTable.key(counter))
                    .conditionExpression("attribute_exists(#name) AND (attribute_not_exists(#online) OR #online <= :zero)")
                    .expressionAttributeNames(Map.of("#name", CounterTable.NAME, "#online", CounterTable.ONLINE))
                    .expressionAttributeValues(Map.of(":zero", AttributeValue.fromN("0"))));
            return true;
        } catch (ConditionalCheckFailedException openOrMissing) {
            return false;
        }
    }

    /**
     * One page of counters. {@code after} is the last name of the previous page (null for the first).
     *
     * @return the page and the name to continue after, null when there is no more
     */
    public Page list(String after, int limit) {
        ScanResponse response = dynamoDb.scan(r -> {
            r.tableName(counters.table()).limit(limit);
            if (after != null) {
                r.exclusiveStartKey(CounterTable.key(after));
            }
        });
        List<CounterSnapshot> page = new ArrayList<>(response.count());
        for (Map<String, AttributeValue> item : response.items()) {
            page.add(CounterTable.snapshot(item));
        }
        String next = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                ? response.lastEvaluatedKey().get(CounterTable.NAME).s()
                : null;
        return new Page(page, next);
    }

    /** A page of {@link #list}. */
    public record Page(List<CounterSnapshot> counters, String next) {}
}
