package dev.livecounter.counter.dynamodb;

import dev.livecounter.common.dynamodb.CounterItems;
import dev.livecounter.common.dynamodb.Schema;
import dev.livecounter.common.dynamodb.TableSettings;
import dev.livecounter.common.model.CounterSnapshot;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/** Reads counters and applies +/- atomically; a counter is created by its first change. */
@Singleton
public class CounterRepository {

    private static final int CONFLICT_ATTEMPTS = 8;

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

    /**
     * Applies presses to a counter: their sum in one transaction, then reads the counter after it (strongly
     * consistent). The transaction carries a client request token, so when the SDK retries a call whose first
     * attempt did land (a timeout while the database was slow), DynamoDB recognises it and does not add again:
     * a plain {@code UpdateItem ADD} would count such a press twice. A transaction that lost a race on the
     * counter item with another (a connect) was not applied and is tried again, with a new token.
     *
     * @return the counter after the presses, once per press
     */
    public List<CounterSnapshot> add(String counter, List<Long> deltas) {
        long sum = deltas.stream().mapToLong(Long::longValue).sum();
        TransactWriteItem add = TransactWriteItem.builder()
                .update(u -> u.tableName(tables.counters())
                        .key(key(counter))
                        .updateExpression("ADD #value :delta, #version :one SET #updatedAt = :now")
                        .expressionAttributeNames(Map.of(
                                "#value", Schema.VALUE, "#version", Schema.VERSION, "#updatedAt", Schema.UPDATED_AT))
                        .expressionAttributeValues(Map.of(
                                ":delta", AttributeValue.fromN(Long.toString(sum)),
                                ":one", AttributeValue.fromN("1"),
                                ":now", AttributeValue.fromS(Instant.now().toString()))))
                .build();
        for (int attempt = 1; ; attempt++) {
            String token = UUID.randomUUID().toString();
            try {
                dynamoDb.transactWriteItems(r -> r.transactItems(add).clientRequestToken(token));
                break;
            } catch (TransactionCanceledException e) {
                boolean conflict = e.cancellationReasons().stream().anyMatch(r -> "TransactionConflict".equals(r.code()));
                if (!conflict || attempt >= CONFLICT_ATTEMPTS) {
                    throw e;
                }
                sleep(ThreadLocalRandom.current().nextLong(1, Math.min(200, 10L << attempt) + 1));
            }
        }
        return Collections.nCopies(deltas.size(), read(counter));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying a press", e);
        }
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
