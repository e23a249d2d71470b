package dev.livecounter.connection.store;

import static dev.livecounter.connection.store.ConnectionTable.BY_REPLICA_INDEX;
import static dev.livecounter.connection.store.ConnectionTable.CONNECTION_ID;
import static dev.livecounter.connection.store.ConnectionTable.REPLICA_ID;

import dev.livecounter.common.dynamodb.TableSettings;
import dev.livecounter.common.dynamodb.Transactions;
import dev.livecounter.connection.config.ConnectionSettings;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/** Reads of the connections table: connections by id (for disconnects), and by replica (for reaping). */
@Singleton
public final class ConnectionReads {

    /** The connections table's name. */
    private final String table;
    /** Reads of a batch that DynamoDB throttles, at most. */
    private final int attempts;
    private final DynamoDbClient dynamoDb;

    public ConnectionReads(DynamoDbClient dynamoDb, TableSettings tables, ConnectionSettings settings) {
        this.table = tables.connections();
        this.attempts = settings.transactionAttempts();
        this.dynamoDb = dynamoDb;
    }

    /** The items of the ids that exist, by id (strongly consistent); at most 100 ids. */
    public Map<String, Map<String, AttributeValue>> byIds(List<String> connectionIds) {
        Map<String, Map<String, AttributeValue>> found = new HashMap<>();
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        connectionIds.forEach(id -> keys.add(ConnectionTable.key(id)));
        Map<String, KeysAndAttributes> request =
                Map.of(table, KeysAndAttributes.builder().keys(keys).consistentRead(true).build());
        for (int attempt = 1; !request.isEmpty(); attempt++) {
            Map<String, KeysAndAttributes> asked = request;
            BatchGetItemResponse response = dynamoDb.batchGetItem(r -> r.requestItems(asked));
            response.responses().getOrDefault(table, List.of())
                    .forEach(item -> found.put(item.get(CONNECTION_ID).s(), item));
            request = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
            if (!request.isEmpty()) {
                if (attempt >= attempts) {
                    throw SdkClientException.create("connections still unread after " + attempt + " throttled reads");
                }
                Transactions.backoff(attempt); // throttled: the rest again, a little later
            }
        }
        return found;
    }

    /** The ids of the live connections of one replica (the sparse index: tombstones and markers are not in it). */
    public List<String> ofReplica(String replicaId) {
        List<String> ids = new ArrayList<>();
        dynamoDb.queryPaginator(r -> r.tableName(table)
                        .indexName(BY_REPLICA_INDEX)
                        .keyConditionExpression("#replica = :replica")
                        .expressionAttributeNames(Map.of("#replica", REPLICA_ID))
                        .expressionAttributeValues(Map.of(":replica", AttributeValue.fromS(replicaId))))
                .items()
                .forEach(item -> ids.add(item.get(CONNECTION_ID).s()));
        return ids;
    }

    /**
     * How many live connections each counter has, the whole {@code byReplica} index scanned (it holds live
     * connections only, and projects their counter): for the reconciler. Eventually consistent, as every read of
     * an index is: a connect or close of the last moment may be missing.
     */
    public Map<String, Long> liveByCounter() {
        Map<String, Long> byCounter = new HashMap<>();
        dynamoDb.scanPaginator(r -> r.tableName(table).indexName(BY_REPLICA_INDEX)
                        .projectionExpression("#counter")
                        .expressionAttributeNames(Map.of("#counter", ConnectionTable.COUNTER)))
                .items()
                .forEach(item -> {
                    AttributeValue counter = item.get(ConnectionTable.COUNTER);
                    if (counter != null) {
                        byCounter.merge(counter.s(), 1L, Long::sum);
                    }
                });
        return byCounter;
    }

    /** Every live connection's id by its replica, the whole index scanned: for the sweep of orphans. */
    public Map<String, Set<String>> liveByReplica() {
        Map<String, Set<String>> byReplica = new HashMap<>();
        dynamoDb.scanPaginator(r -> r.tableName(table).indexName(BY_REPLICA_INDEX)
                        .projectionExpression("#id, #replica")
                        .expressionAttributeNames(Map.of("#id", CONNECTION_ID, "#replica", REPLICA_ID)))
                .items()
                .forEach(item -> byReplica.computeIfAbsent(item.get(REPLICA_ID).s(), id -> new HashSet<>())
                        .add(item.get(CONNECTION_ID).s()));
        return byReplica;
    }
}
