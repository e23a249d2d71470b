package dev.livecounter.counter.dynamodb;

import dev.livecounter.common.dynamodb.CounterItems;
import dev.livecounter.common.dynamodb.Schema;
import dev.livecounter.common.dynamodb.TableSettings;
import dev.livecounter.common.model.CounterSnapshot;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/** Reads counters and applies +/- atomically; a counter is created by its first change. */
@Singleton
public class CounterRepository {

    private final DynamoDbClient dynamoDb;
    private final TableSettings tables;

    public CounterRepository(DynamoDbClient dynamoDb, TableSettings tables) {
        this.dynamoDb = dynamoDb;
        this.tables = tables;
    }

    /** The counter now (strongly consistent); zeros at version 0 for a counter nobody has touched. */
    public CounterSnapshot read(String counter) {
        return CounterItems.toSnapshot(
                counter,
                dynamoDb.getItem(r -> r.tableName(tables.counters())
                                .key(key(counter))
                                .consistentRead(true))
                        .item());
    }

    /** Adds {@code delta} to the shared value in one atomic UpdateItem and returns the counter after it. */
    public CounterSnapshot add(String counter, long delta) {
        Map<String, AttributeValue> after = dynamoDb.updateItem(r -> r.tableName(tables.counters())
                        .key(key(counter))
                        .updateExpression("ADD #value :delta, #version :one SET #updatedAt = :now")
                        .expressionAttributeNames(Map.of(
                                "#value", Schema.VALUE, "#version", Schema.VERSION, "#updatedAt", Schema.UPDATED_AT))
                        .expressionAttributeValues(Map.of(
                                ":delta", AttributeValue.fromN(Long.toString(delta)),
                                ":one", AttributeValue.fromN("1"),
                                ":now", AttributeValue.fromS(Instant.now().toString())))
                        .returnValues(ReturnValue.ALL_NEW))
                .attributes();
        return CounterItems.toSnapshot(counter, after);
    }

    /**
     * One page of counters. {@code after} is the last name of the previous page (null for the first).
     *
     * @return the page and the name to continue after, null when there is no more
     */
    public Page list(String after, int limit) {
        ScanResponse response = dynamoDb.scan(r -> {
            r.tableName(tables.counters()).limit(limit);
            if (after != null) {
                r.exclusiveStartKey(key(after));
            }
        });
        List<CounterSnapshot> counters = new ArrayList<>(response.count());
        for (Map<String, AttributeValue> item : response.items()) {
            counters.add(CounterItems.toSnapshot(item));
        }
        String next = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                ? response.lastEvaluatedKey().get(Schema.NAME).s()
                : null;
        return new Page(counters, next);
    }

    private static Map<String, AttributeValue> key(String counter) {
        return Map.of(Schema.NAME, AttributeValue.fromS(counter));
    }

    /** A page of {@link #list}. */
    public record Page(List<CounterSnapshot> counters, String next) {}
}
