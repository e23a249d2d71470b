package dev.livecounter.counter.dynamodb;

import dev.livecounter.common.dynamodb.CounterItems;
import dev.livecounter.common.dynamodb.CounterLifecycleSettings;
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

/** Reads counters and applies +/- atomically to counters that exist (a page's connect creates one). */
@Singleton
public class CounterRepository {

    private static final int CONFLICT_ATTEMPTS = 8;
    private static final int MARKERS_PER_TRANSACTION = 99;
    /** How long a press id is remembered: far beyond any retry of the page, short enough to cost little. */
    private static final java.time.Duration PRESS_ID_WINDOW = java.time.Duration.ofHours(1);

    private final DynamoDbClient dynamoDb;
    private final TableSettings tables;
    private final CounterLifecycleSettings lifecycle;

    public CounterRepository(DynamoDbClient dynamoDb, TableSettings tables, CounterLifecycleSettings lifecycle) {
        this.lifecycle = lifecycle;
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
     * <p>A press with an id from the page also puts a marker item for that id in the same transaction, on condition
     * that none exists: a press the page sends again (its first answer timed out, but it was applied) fails that
     * condition, drops out as already applied, and the rest is written again. The token covers the SDK's retries
     * of one call; the marker covers the page's retries across calls, replicas and minutes.
     *
     * @return the counter after the presses, once per press
     */
    public List<CounterSnapshot> add(String counter, List<Press> presses) {
        // one transaction holds at most 100 items: the counter and 99 markers
        for (int from = 0; from < presses.size(); ) {
            int to = from;
            int marked = 0;
            while (to < presses.size() && (presses.get(to).id() == null || marked < MARKERS_PER_TRANSACTION)) {
                marked += presses.get(to).id() == null ? 0 : 1;
                to++;
            }
            addOnce(counter, new ArrayList<>(presses.subList(from, to)));
            from = to;
        }
        return Collections.nCopies(presses.size(), read(counter));
    }

    private void addOnce(String counter, List<Press> presses) {
        for (int attempt = 1; !presses.isEmpty(); attempt++) {
            List<TransactWriteItem> items = new ArrayList<>(presses.size() + 1);
            items.add(addItem(counter, presses.stream().mapToLong(Press::delta).sum()));
            List<Press> marked = new ArrayList<>();
            for (Press press : presses) {
                if (press.id() != null) {
                    items.add(markerItem(counter, press.id()));
                    marked.add(press);
                }
            }
            String token = UUID.randomUUID().toString();
            try {
                dynamoDb.transactWriteItems(r -> r.transactItems(items).clientRequestToken(token));
                return;
            } catch (TransactionCanceledException e) {
                if ("ConditionalCheckFailed".equals(e.cancellationReasons().get(0).code())) {
                    throw new NoSuchCounter(counter);
                }
                List<Press> applied = new ArrayList<>();
                for (int i = 1; i < e.cancellationReasons().size() && i <= marked.size(); i++) {
                    if ("ConditionalCheckFailed".equals(e.cancellationReasons().get(i).code())) {
                        applied.add(marked.get(i - 1));
                    }
                }
                if (!applied.isEmpty()) {
                    presses.removeAll(applied); // applied before: answered with the counter, not added again
                    continue;
                }
                boolean conflict = e.cancellationReasons().stream().anyMatch(r -> "TransactionConflict".equals(r.code()));
                if (!conflict || attempt >= CONFLICT_ATTEMPTS) {
                    throw e;
                }
                sleep(ThreadLocalRandom.current().nextLong(1, Math.min(200, 10L << attempt) + 1));
            }
        }
    }

    private TransactWriteItem addItem(String counter, long sum) {
        Instant now = Instant.now();
        return TransactWriteItem.builder()
                .update(u -> u.tableName(tables.counters())
                        .key(key(counter))
                        // a press renews the counter's expiry: one in use is never deleted by the TTL
                        .updateExpression("ADD #value :delta SET #updatedAt = :now, #expiresAt = :expiresAt, "
                                + CounterItems.BUMP_VERSION)
                        // a counter is made by its first page's connect (within the budget of new ones), never
                        // by a press: a press on any name would otherwise create counters without end
                        .conditionExpression("attribute_exists(#name)")
                        .expressionAttributeNames(Map.of("#value", Schema.VALUE, "#version", Schema.VERSION,
                                "#updatedAt", Schema.UPDATED_AT, "#expiresAt", Schema.EXPIRES_AT,
                                "#name", Schema.NAME))
                        .expressionAttributeValues(withVersion(Map.of(
                                ":delta", AttributeValue.fromN(Long.toString(sum)),
                                ":now", AttributeValue.fromS(now.toString()),
                                ":expiresAt", AttributeValue.fromN(Long.toString(lifecycle.expiresAt(now)))))))
                .build();
    }

    private TransactWriteItem markerItem(String counter, String pressId) {
        long expiresAt = Instant.now().plus(PRESS_ID_WINDOW).getEpochSecond();
        return TransactWriteItem.builder()
                .put(p -> p.tableName(tables.connections())
                        .item(Map.of(
                                Schema.CONNECTION_ID, AttributeValue.fromS(Schema.pressKey(counter, pressId)),
                                Schema.COUNTER, AttributeValue.fromS(counter),
                                Schema.EXPIRES_AT, AttributeValue.fromN(Long.toString(expiresAt))))
                        .conditionExpression("attribute_not_exists(#id)")
                        .expressionAttributeNames(Map.of("#id", Schema.CONNECTION_ID)))
                .build();
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

    private static Map<String, AttributeValue> withVersion(Map<String, AttributeValue> values) {
        Map<String, AttributeValue> all = new java.util.HashMap<>(values);
        all.putAll(CounterItems.versionValues());
        return all;
    }

    private static Map<String, AttributeValue> key(String counter) {
        return Map.of(Schema.NAME, AttributeValue.fromS(counter));
    }

    /** A page of {@link #list}. */
    public record Page(List<CounterSnapshot> counters, String next) {}
}
