package dev.livecounter.connection.store;

import static dev.livecounter.connection.store.ConnectionTable.EXPIRES_AT;
import static dev.livecounter.connection.store.ConnectionTable.REPLICA_ID;

import dev.livecounter.common.counters.CounterStore;
import dev.livecounter.common.model.LeaseRenewal.OpenSocket;
import dev.livecounter.connection.config.ConnectionSettings;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Keeps the items of open sockets alive: a connection item's TTL is a backstop of a day, and a visit marker's is the
 * visit window (30 minutes), both counted from the connect. Without renewal, DynamoDB's TTL deletes the connection
 * of a socket open for a day (its close then finds nothing and never takes it off online; the reaper cannot find
 * it either), and a page open longer than the window is a new visit on its next reconnect (every rolling restart
 * re-counted them). The broadcaster sends its open sockets on a schedule far below both; a visit's window then
 * runs from its socket's last renewal, i.e. from its last activity.
 */
@Singleton
public final class LeaseRenewer {

    private static final int BATCH_WRITE = 25;

    private final DynamoDbClient dynamoDb;
    /** The connections table's items: its name, a connection's TTL, a visit's marker. */
    private final ConnectionItems items;
    private final CounterStore counters;
    /** Writes of a batch that DynamoDB throttles, at most. */
    private final int attempts;

    public LeaseRenewer(DynamoDbClient dynamoDb, ConnectionItems items, CounterStore counters, ConnectionSettings settings) {
        this.dynamoDb = dynamoDb;
        this.items = items;
        this.counters = counters;
        this.attempts = settings.transactionAttempts();
    }

    /**
     * Renews the sockets that are still live connections of this replica (a closed or reaped one is left alone: its
     * tombstone keeps its own TTL), then their visit markers.
     *
     * @return how many were live and renewed
     */
    public int renew(String replicaId, List<OpenSocket> sockets) {
        Instant now = Instant.now();
        AttributeValue connectionExpiry = items.connectionExpiry(now);
        Map<String, WriteRequest> markers = new LinkedHashMap<>();
        Set<String> opened = new LinkedHashSet<>();
        for (OpenSocket socket : sockets) {
            try {
                dynamoDb.updateItem(r -> r.tableName(items.table())
                        .key(ConnectionTable.key(socket.connectionId()))
                        .updateExpression("SET #exp = :exp")
                        .conditionExpression("#replica = :replica")
                        .expressionAttributeNames(Map.of("#exp", EXPIRES_AT, "#replica", REPLICA_ID))
                        .expressionAttributeValues(Map.of(
                                ":exp", connectionExpiry, ":replica", AttributeValue.fromS(replicaId))));
            } catch (ConditionalCheckFailedException notLive) {
                continue; // closed, reaped or never registered: nothing to keep
            }
            opened.add(socket.counter());
            markers.put(ConnectionTable.visitKey(socket.counter(), socket.visitId()), WriteRequest.builder()
                    .putRequest(PutRequest.builder()
                            .item(items.visitMarker(socket.counter(), socket.visitId(), now))
                            .build())
                    .build());
        }
        List<WriteRequest> writes = new ArrayList<>(markers.values());
        for (int from = 0; from < writes.size(); from += BATCH_WRITE) {
            write(writes.subList(from, Math.min(writes.size(), from + BATCH_WRITE)));
        }
        opened.forEach(counter -> counters.renewExpiry(counter, now));
        return markers.size();
    }

    private void write(List<WriteRequest> batch) {
        Map<String, List<WriteRequest>> request = Map.of(items.table(), batch);
        for (int attempt = 1; !request.isEmpty(); attempt++) {
            Map<String, List<WriteRequest>> asked = request;
            BatchWriteItemResponse response = dynamoDb.batchWriteItem(r -> r.requestItems(asked));
            request = response.hasUnprocessedItems() ? response.unprocessedItems() : Map.of();
            if (!request.isEmpty() && attempt >= attempts) {
                throw SdkClientException.create("visit markers still unwritten after " + attempt + " throttled writes");
            }
        }
    }
}
