package dev.livecounter.common.counters;

import dev.livecounter.common.dynamodb.TableSettings;
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
import software.amazon.awssdk.services.dynamodb.model.TransactGetItem;

/**
 * The counters table's reads and its writes that are not a count: what both writing services ask of it. Counts
 * are changed only through {@link #update}, inside the writer's own transaction.
 */
@Singleton
public final class CounterStore {

    private final DynamoDbClient dynamoDb;
    /** The counters table's name. */
    private final String table;
    private final CounterLifecycleSettings lifecycle;

    public CounterStore(DynamoDbClient dynamoDb, TableSettings tables, CounterLifecycleSettings lifecycle) {
        this.dynamoDb = dynamoDb;
        this.table = tables.counters();
        this.lifecycle = lifecycle;
    }

    /** The counters table's name. */
    public String table() {
        return table;
    }

    /** A write of the counter at {@code now}, bumping its version; the caller adds what it changes. */
    public CounterUpdate update(String counter, Instant now) {
        return CounterUpdate.of(table, counter, now);
    }

    /** The expiry a counter written at {@code now} gets: a counter in use is never deleted by the TTL. */
    public long expiresAt(Instant now) {
        return lifecycle.expiresAt(now);
    }

    /** The counter now (strongly consistent); zeros at version 0 for a counter nobody has touched. */
    public CounterSnapshot read(String counter) {
        return CounterTable.snapshot(counter, dynamoDb.getItem(r -> r.tableName(table)
                        .key(CounterTable.key(counter))
                        .consistentRead(true))
                .item());
    }

    /**
     * The counter's item as one part of a {@code TransactGetItems}: read in one snapshot with the other parts, so
     * with a transaction that wrote both, all of it or none of it. Read it with {@link CounterTable#snapshot}.
     */
    public TransactGetItem transactGet(String counter) {
        return TransactGetItem.builder()
                .get(g -> g.tableName(table).key(CounterTable.key(counter)))
                .build();
    }

    /**
     * The counter's life stamp ({@link CounterTable#LIFE}, strongly consistent), or null when there is no counter.
     * An item made before life stamps is given one by a write that changes nothing else (a version bump pages
     * take as the same counts).
     */
    public String life(String counter) {
        Map<String, AttributeValue> item = dynamoDb.getItem(r -> r.tableName(table)
                        .key(CounterTable.key(counter))
                        .projectionExpression("#name, #life")
                        .expressionAttributeNames(Map.of("#name", CounterTable.NAME, "#life", CounterTable.LIFE))
                        .consistentRead(true))
                .item();
        if (item == null || item.isEmpty()) {
            return null;
        }
        if (item.containsKey(CounterTable.LIFE)) {
            return item.get(CounterTable.LIFE).n();
        }
        try {
            return dynamoDb.updateItem(update(counter, Instant.now())
                            .name(CounterTable.NAME)
                            .when("attribute_exists(#name)", Map.of())
                            .request()
                            .returnValues(ReturnValue.ALL_NEW)
                            .build())
                    .attributes().get(CounterTable.LIFE).n();
        } catch (ConditionalCheckFailedException gone) {
            return null;
        }
    }

    /**
     * What a counter counts, as one scan of the counters table sees it: for connection-service's reconciler.
     *
     * @param visitsBeforeReset the visits operator resets took off ({@link CounterTable#VISITS_BEFORE_RESET})
     */
    public record Tally(String counter, long version, long online, long visits, long visitsBeforeReset) {}

    /** Every counter's tally, the whole table scanned (strongly consistent, its counts only). */
    public List<Tally> tallies() {
        List<Tally> tallies = new ArrayList<>();
        dynamoDb.scanPaginator(r -> r.tableName(table)
                        .consistentRead(true)
                        .projectionExpression("#name, #version, #online, #visits, #before")
                        .expressionAttributeNames(Map.of("#name", CounterTable.NAME, "#version", CounterTable.VERSION,
                                "#online", CounterTable.ONLINE, "#visits", CounterTable.VISITS,
                                "#before", CounterTable.VISITS_BEFORE_RESET)))
                .items()
                .forEach(item -> tallies.add(new Tally(item.get(CounterTable.NAME).s(),
                        number(item, CounterTable.VERSION), number(item, CounterTable.ONLINE),
                        number(item, CounterTable.VISITS), number(item, CounterTable.VISITS_BEFORE_RESET))));
        return tallies;
    }

    private static long number(Map<String, AttributeValue> item, String attribute) {
        AttributeValue value = item.get(attribute);
        return value == null || value.n() == null ? 0 : Long.parseLong(value.n());
    }

    /** Whether the counter exists (strongly consistent; reads its key only). */
    public boolean exists(String counter) {
        Map<String, AttributeValue> item = dynamoDb.getItem(r -> r.tableName(table)
                        .key(CounterTable.key(counter))
                        .projectionExpression("#name")
                        .expressionAttributeNames(Map.of("#name", CounterTable.NAME))
                        .consistentRead(true))
                .item();
        return item != null && !item.isEmpty();
    }

    /**
     * A counter with a page open is in use even when nobody connects or presses: its expiry moves on. Not a change
     * pages see, so its version stays; a counter an operator deleted is not re-created.
     */
    public void renewExpiry(String counter, Instant now) {
        try {
            dynamoDb.updateItem(r -> r.tableName(table)
                    .key(CounterTable.key(counter))
                    .updateExpression("SET #exp = :exp")
                    .conditionExpression("attribute_exists(#name)")
                    .expressionAttributeNames(Map.of("#exp", CounterTable.EXPIRES_AT, "#name", CounterTable.NAME))
                    .expressionAttributeValues(Map.of(":exp", AttributeValue.fromN(Long.toString(expiresAt(now))))));
        } catch (ConditionalCheckFailedException gone) {
            // deleted: its sockets' closes find it gone and count nothing
        }
    }
}
