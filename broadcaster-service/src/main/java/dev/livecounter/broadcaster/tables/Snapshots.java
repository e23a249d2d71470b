package dev.livecounter.broadcaster.tables;

import dev.livecounter.broadcaster.protocol.ClientMessages.Rejected;
import dev.livecounter.common.contract.ErrorCode;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * Reads a subscription's snapshot: its item, partition or table, strongly consistent (so it holds every change
 * committed before the read), page by page, at most the table's snapshot limit of items. Every item read is
 * remembered by digest for the {@link Fence}; the filter is applied here, by the same evaluator as the changes.
 */
@Singleton
class Snapshots {

    private final DynamoDbAsyncClient dynamoDb;

    Snapshots(DynamoDbAsyncClient dynamoDb) {
        this.dynamoDb = dynamoDb;
    }

    /** The items in view, and the digest of every item read, by key. */
    record Read(List<Map<String, AttributeValue>> items, Map<String, String> digests) {}

    /** Completes exceptionally with {@link Rejected} (snapshot too large) or the database's error. */
    CompletableFuture<Read> read(Subscription subscription) {
        Collector collector = new Collector(subscription);
        TableCatalog.Table table = subscription.table();
        return switch (subscription.kind()) {
            case ITEM -> dynamoDb.getItem(r -> r.tableName(table.name()).key(subscription.key()).consistentRead(true))
                    .thenApply(answer -> {
                        if (answer.hasItem() && !answer.item().isEmpty()) {
                            collector.add(answer.item());
                        }
                        return collector.read();
                    });
            case PARTITION -> query(subscription, collector, null);
            case TABLE -> scan(subscription, collector, null);
        };
    }

    private CompletableFuture<Read> query(Subscription subscription, Collector collector, Map<String, AttributeValue> from) {
        TableCatalog.Table table = subscription.table();
        Map<String, String> names = new HashMap<>(Map.of("#pk", table.partitionKey()));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":pk", subscription.partition()));
        String condition = "#pk = :pk";
        if (subscription.prefix() != null) {
            names.put("#sk", table.sortKey());
            values.put(":prefix", AttributeValue.fromS(subscription.prefix()));
            condition += " AND begins_with(#sk, :prefix)";
        }
        QueryRequest request = QueryRequest.builder().tableName(table.name()).consistentRead(true)
                .keyConditionExpression(condition).expressionAttributeNames(names).expressionAttributeValues(values)
                .limit(collector.room()).exclusiveStartKey(from).build();
        return dynamoDb.query(request).thenCompose(page -> {
            page.items().forEach(collector::add);
            return next(page.lastEvaluatedKey(), collector, last -> query(subscription, collector, last));
        });
    }

    private CompletableFuture<Read> scan(Subscription subscription, Collector collector, Map<String, AttributeValue> from) {
        ScanRequest request = ScanRequest.builder().tableName(subscription.table().name()).consistentRead(true)
                .limit(collector.room()).exclusiveStartKey(from).build();
        return dynamoDb.scan(request).thenCompose(page -> {
            page.items().forEach(collector::add);
            return next(page.lastEvaluatedKey(), collector, last -> scan(subscription, collector, last));
        });
    }

    private static CompletableFuture<Read> next(Map<String, AttributeValue> last, Collector collector,
            java.util.function.Function<Map<String, AttributeValue>, CompletableFuture<Read>> more) {
        boolean done = last == null || last.isEmpty();
        if (collector.room() <= 0) {
            return CompletableFuture.failedFuture(new Rejected(ErrorCode.SNAPSHOT_TOO_LARGE,
                    "this subscription selects more than " + collector.limit + " items; subscribe to a partition or an item"));
        }
        return done ? CompletableFuture.completedFuture(collector.read()) : more.apply(last);
    }

    /** What a read has found so far. */
    private static final class Collector {
        final Subscription subscription;
        final int limit;
        final List<Map<String, AttributeValue>> items = new ArrayList<>();
        final Map<String, String> digests = new HashMap<>();

        Collector(Subscription subscription) {
            this.subscription = subscription;
            this.limit = subscription.table().config().snapshotLimit();
        }

        void add(Map<String, AttributeValue> item) {
            TableCatalog.Table table = subscription.table();
            digests.put(Items.key(item, table.partitionKey(), table.sortKey()), Items.digest(item));
            if (subscription.passes(item)) {
                items.add(item);
            }
        }

        /** Items the next page may hold: one past the limit shows the limit is passed. */
        int room() {
            return limit + 1 - digests.size();
        }

        Read read() {
            return new Read(items, digests);
        }
    }
}
