package dev.livecounter.connection.history;

import dev.livecounter.common.counters.CounterStore;
import dev.livecounter.common.counters.CounterTable;
import dev.livecounter.common.dynamodb.TableSettings;
import dev.livecounter.common.dynamodb.Transactions;
import dev.livecounter.common.model.History;
import dev.livecounter.common.model.HistoryQuery;
import dev.livecounter.common.model.Resolution;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Reads a counter's buckets of one resolution over a range, with the counter's visits at the moment they hold
 * ({@link History#visits()}). The buckets that may still be written are read in one {@code TransactGetItems} with
 * the counter's item: the connect transaction adds to both at once ({@link HistoryItems}), so the answer holds
 * every visit up to that total and none after it. The older buckets are final; one query of the partition reads them.
 */
@Singleton
public final class HistoryRepository {

    /**
     * How long after its end a bucket may still be written. A connect transaction picks its buckets by the time its
     * batch began and is not written once {@link HistoryItems#WRITTEN_WITHIN} (5 min) has passed since; an attempt
     * begun before that ends within the SDK's call timeout, times the conflict retries (under 30 s by default). The
     * rest is margin, e.g. for the clocks of connection-service's instances. Older buckets no longer change, so
     * reading them apart from the counter cannot disagree with it.
     */
    public static final Duration SETTLE = Duration.ofMinutes(10);
    /** DynamoDB's limit of items in one {@code TransactGetItems}; the open buckets and the counter stay far below. */
    private static final int MAX_TRANSACT_ITEMS = 100;
    private static final String CONFLICT = "TransactionConflict";

    private final DynamoDbClient dynamoDb;
    private final CounterStore counters;
    /** The history table's name. */
    private final String table;

    public HistoryRepository(DynamoDbClient dynamoDb, TableSettings tables, CounterStore counters) {
        this.dynamoDb = dynamoDb;
        this.counters = counters;
        this.table = tables.history();
    }

    /** Every bucket of the range, those nobody visited in as zeros, and the visits they hold (strongly consistent). */
    public History read(String counter, HistoryQuery query) {
        Instant now = Instant.now();
        Map<String, Map<String, AttributeValue>> found = settled(counter, query);
        List<String> open = query.starts().stream()
                .filter(start -> mayChange(query.resolution(), start, now))
                .map(HistoryTable::start)
                .toList();
        List<TransactGetItem> gets = new ArrayList<>(open.size() + 1);
        gets.add(counters.transactGet(counter));
        for (String start : open) {
            gets.add(TransactGetItem.builder()
                    .get(g -> g.tableName(table).key(HistoryTable.key(counter, query.resolution(), start)))
                    .build());
        }
        if (gets.size() > MAX_TRANSACT_ITEMS) {
            throw new IllegalStateException(gets.size() + " items in one read: the settle window is too wide");
        }
        List<ItemResponse> read = transactGet(gets);
        long visits = CounterTable.snapshot(counter, read.get(0).item()).visits();
        for (int i = 0; i < open.size(); i++) {
            Map<String, AttributeValue> item = read.get(i + 1).item();
            if (item == null || item.isEmpty()) {
                found.remove(open.get(i));
            } else {
                found.put(open.get(i), item);
            }
        }
        List<History.Bucket> buckets = new ArrayList<>();
        for (Instant start : query.starts()) {
            String key = HistoryTable.start(start);
            Map<String, AttributeValue> item = found.get(key);
            buckets.add(new History.Bucket(key, number(item, HistoryTable.VISITS), number(item, HistoryTable.UNIQUE_VISITORS)));
        }
        return new History(counter, query.resolution().id(), visits, buckets);
    }

    /**
     * Whether a bucket may still be written at {@code now}: it ended less than {@link #SETTLE} ago, or starts within
     * it (a clock a little ahead). A minute query has at most 22 such buckets, an hour or day query 2.
     */
    public static boolean mayChange(Resolution resolution, Instant start, Instant now) {
        return !resolution.next(start).isBefore(now.minus(SETTLE)) && !start.isAfter(now.plus(SETTLE));
    }

    /** The range's buckets by one query of the partition; those that may still change are read again. */
    private Map<String, Map<String, AttributeValue>> settled(String counter, HistoryQuery query) {
        Map<String, Map<String, AttributeValue>> found = new HashMap<>();
        Map<String, AttributeValue> startKey = null;
        do {
            QueryRequest.Builder request = QueryRequest.builder()
                    .tableName(table)
                    .keyConditionExpression("#series = :series AND #start BETWEEN :first AND :last")
                    .expressionAttributeNames(Map.of("#series", HistoryTable.SERIES, "#start", HistoryTable.START))
                    .expressionAttributeValues(Map.of(
                            ":series", AttributeValue.fromS(HistoryTable.series(counter, query.resolution())),
                            ":first", AttributeValue.fromS(HistoryTable.start(query.first())),
                            ":last", AttributeValue.fromS(HistoryTable.start(query.last()))))
                    .consistentRead(true);
            if (startKey != null) {
                request.exclusiveStartKey(startKey);
            }
            QueryResponse response = dynamoDb.query(request.build());
            response.items().forEach(item -> found.put(item.get(HistoryTable.START).s(), item));
            startKey = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                    ? response.lastEvaluatedKey()
                    : null;
        } while (startKey != null);
        return found;
    }

    /** One snapshot of the items; a read that meets a connect transaction in flight is tried again after a pause. */
    private List<ItemResponse> transactGet(List<TransactGetItem> gets) {
        for (int attempt = 1; ; attempt++) {
            try {
                return dynamoDb.transactGetItems(r -> r.transactItems(gets)).responses();
            } catch (TransactionCanceledException e) {
                boolean conflict = e.cancellationReasons().stream().anyMatch(r -> CONFLICT.equals(r.code()));
                if (!conflict || attempt >= Transactions.DEFAULT_ATTEMPTS) {
                    throw e;
                }
                Transactions.backoff(attempt);
            }
        }
    }

    private static long number(Map<String, AttributeValue> item, String attribute) {
        AttributeValue value = item == null ? null : item.get(attribute);
        return value == null || value.n() == null ? 0 : Long.parseLong(value.n());
    }
}
