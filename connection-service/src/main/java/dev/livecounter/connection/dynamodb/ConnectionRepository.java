package dev.livecounter.connection.dynamodb;

import static dev.livecounter.common.dynamodb.Schema.CONNECTED_AT;
import static dev.livecounter.common.dynamodb.Schema.CONNECTION_ID;
import static dev.livecounter.common.dynamodb.Schema.COUNTER;
import static dev.livecounter.common.dynamodb.Schema.EXPIRES_AT;
import static dev.livecounter.common.dynamodb.Schema.NAME;
import static dev.livecounter.common.dynamodb.Schema.REPLICA_ID;
import static dev.livecounter.common.dynamodb.Schema.VISIT_ID;

import dev.livecounter.common.dynamodb.CounterItems;
import dev.livecounter.common.dynamodb.Schema;
import dev.livecounter.common.dynamodb.TableSettings;
import dev.livecounter.common.model.ConnectRequest;
import dev.livecounter.common.model.ConnectResult;
import dev.livecounter.common.model.CounterSnapshot;
import dev.livecounter.common.model.DisconnectResult;
import dev.livecounter.connection.config.ConnectionSettings;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Registers and removes connections. Each change of a count is one transaction that also writes or deletes the
 * connection item under a condition, so a retried or duplicated call fails its condition and counts nothing.
 */
@Singleton
public class ConnectionRepository {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionRepository.class);
    private static final String CONDITION_FAILED = "ConditionalCheckFailed";
    private static final String CONFLICT = "TransactionConflict";
    private static final AttributeValue ONE = number(1);
    private static final AttributeValue MINUS_ONE = number(-1);

    private final DynamoDbClient dynamoDb;
    private final TableSettings tables;
    private final ConnectionSettings settings;
    private final Counter conflicts;

    public ConnectionRepository(
            DynamoDbClient dynamoDb, TableSettings tables, ConnectionSettings settings, MeterRegistry meters) {
        this.conflicts = meters.counter("livecounter.transaction.conflicts.retried");
        this.dynamoDb = dynamoDb;
        this.tables = tables;
        this.settings = settings;
    }

    /**
     * {@code $connect}: puts the connection (only if absent) and adds 1 to online and, for a visit id not seen
     * within the window, 1 to visits.
     */
    public ConnectResult connect(String connectionId, ConnectRequest request) {
        Instant now = Instant.now();
        TransactWriteItem putConnection = putConnection(connectionId, request, now);
        TransactWriteItem firstVisit = TransactWriteItem.builder()
                .put(p -> p.tableName(tables.connections())
                        .item(visitItem(request, now))
                        .conditionExpression("attribute_not_exists(#id) OR #exp < :now")
                        .expressionAttributeNames(Map.of("#id", CONNECTION_ID, "#exp", EXPIRES_AT))
                        .expressionAttributeValues(Map.of(":now", number(now.getEpochSecond()))))
                .build();
        Outcome outcome = transact(List.of(putConnection, firstVisit, addToCounter(request.counter(), true, now)));
        boolean newVisit = true;
        if (outcome.failedAt(1)) {
            // The page load was seen within the window: a reconnect. Count the socket, refresh the window.
            newVisit = false;
            TransactWriteItem refreshVisit = TransactWriteItem.builder()
                    .put(p -> p.tableName(tables.connections()).item(visitItem(request, now)))
                    .build();
            outcome = transact(List.of(putConnection, refreshVisit, addToCounter(request.counter(), false, now)));
        }
        if (outcome.failedAt(0)) {
            return new ConnectResult(false, false, read(request.counter()));
        }
        return new ConnectResult(true, newVisit, read(request.counter()));
    }

    /**
     * {@code $disconnect}: replaces the connection with a tombstone (only if it is a live connection) and takes 1
     * off online. The tombstone, kept for a while, is what makes the order of calls not matter: a connect that
     * was still under way when its socket's disconnect came (a slow or restarting connection-service) finds it
     * and counts nothing, where a plain delete would have let it register a socket that is long gone.
     */
    public DisconnectResult disconnect(String connectionId) {
        Map<String, AttributeValue> key = Map.of(CONNECTION_ID, string(connectionId));
        for (int attempt = 0; attempt < 3; attempt++) {
            Map<String, AttributeValue> item = dynamoDb.getItem(
                            r -> r.tableName(tables.connections()).key(key).consistentRead(true))
                    .item();
            if (item != null && !item.isEmpty() && !item.containsKey(REPLICA_ID)) {
                return new DisconnectResult(false, null); // already a tombstone
            }
            Instant now = Instant.now();
            if (item == null || item.isEmpty()) {
                try {
                    dynamoDb.putItem(r -> r.tableName(tables.connections())
                            .item(tombstone(connectionId, null, now))
                            .conditionExpression("attribute_not_exists(#id)")
                            .expressionAttributeNames(Map.of("#id", CONNECTION_ID)));
                    return new DisconnectResult(false, null);
                } catch (ConditionalCheckFailedException registeredMeanwhile) {
                    continue; // its connect just landed: take that off the count
                }
            }
            String counter = item.get(COUNTER).s();
            TransactWriteItem closeConnection = TransactWriteItem.builder()
                    .put(p -> p.tableName(tables.connections())
                            .item(tombstone(connectionId, counter, now))
                            .conditionExpression("attribute_exists(#replica)")
                            .expressionAttributeNames(Map.of("#replica", REPLICA_ID)))
                    .build();
            TransactWriteItem update = TransactWriteItem.builder()
                    .update(u -> u.tableName(tables.counters())
                            .key(Map.of(NAME, string(counter)))
                            .updateExpression("ADD #online :minus, #version :one SET #updatedAt = :now")
                            .expressionAttributeNames(Map.of(
                                    "#online", Schema.ONLINE, "#version", Schema.VERSION, "#updatedAt", Schema.UPDATED_AT))
                            .expressionAttributeValues(Map.of(":minus", MINUS_ONE, ":one", ONE, ":now", string(now.toString()))))
                    .build();
            Outcome outcome = transact(List.of(closeConnection, update));
            return new DisconnectResult(!outcome.failedAt(0), counter);
        }
        throw new IllegalStateException("connection " + connectionId + " kept changing while it was being closed");
    }

    /** A closed connection: no replicaId (so the reaper's index never lists it), gone by TTL after a while. */
    private Map<String, AttributeValue> tombstone(String connectionId, String counter, Instant now) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(CONNECTION_ID, string(connectionId));
        if (counter != null) {
            item.put(COUNTER, string(counter));
        }
        item.put(Schema.CLOSED_AT, string(now.toString()));
        item.put(EXPIRES_AT, number(now.plus(settings.tombstoneTtl()).getEpochSecond()));
        return item;
    }

    /** The counter as it is now (strongly consistent). */
    public CounterSnapshot read(String counter) {
        return CounterItems.toSnapshot(
                counter,
                dynamoDb.getItem(r -> r.tableName(tables.counters())
                                .key(Map.of(NAME, string(counter)))
                                .consistentRead(true))
                        .item());
    }

    private TransactWriteItem putConnection(String connectionId, ConnectRequest request, Instant now) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(CONNECTION_ID, string(connectionId));
        item.put(COUNTER, string(request.counter()));
        item.put(REPLICA_ID, string(request.replicaId()));
        item.put(VISIT_ID, string(request.visitId()));
        item.put(CONNECTED_AT, string(now.toString()));
        item.put(EXPIRES_AT, number(now.plus(settings.connectionTtl()).getEpochSecond()));
        return TransactWriteItem.builder()
                .put(p -> p.tableName(tables.connections())
                        .item(item)
                        .conditionExpression("attribute_not_exists(#id)")
                        .expressionAttributeNames(Map.of("#id", CONNECTION_ID)))
                .build();
    }

    private Map<String, AttributeValue> visitItem(ConnectRequest request, Instant now) {
        return Map.of(
                CONNECTION_ID, string(Schema.visitKey(request.counter(), request.visitId())),
                COUNTER, string(request.counter()),
                EXPIRES_AT, number(now.plus(settings.visitWindow()).getEpochSecond()));
    }

    private TransactWriteItem addToCounter(String counter, boolean visit, Instant now) {
        String adds = visit ? "#visits :one, #online :one, #version :one" : "#online :one, #version :one";
        Map<String, String> names = new HashMap<>(Map.of(
                "#online", Schema.ONLINE, "#version", Schema.VERSION, "#updatedAt", Schema.UPDATED_AT));
        if (visit) {
            names.put("#visits", Schema.VISITS);
        }
        return TransactWriteItem.builder()
                .update(u -> u.tableName(tables.counters())
                        .key(Map.of(NAME, string(counter)))
                        .updateExpression("ADD " + adds + " SET #updatedAt = :now")
                        .expressionAttributeNames(names)
                        .expressionAttributeValues(Map.of(":one", ONE, ":now", string(now.toString()))))
                .build();
    }

    /**
     * Runs a transaction; a condition failure is an answer (which item failed), a conflict with a concurrent
     * transaction on the same counter is retried with jittered backoff.
     */
    private Outcome transact(List<TransactWriteItem> items) {
        for (int attempt = 1; ; attempt++) {
            try {
                dynamoDb.transactWriteItems(r -> r.transactItems(items));
                return Outcome.COMMITTED;
            } catch (TransactionCanceledException e) {
                List<CancellationReason> reasons = e.cancellationReasons();
                boolean conflict = reasons.stream().anyMatch(r -> CONFLICT.equals(r.code()));
                if (!conflict) {
                    for (int i = 0; i < reasons.size(); i++) {
                        if (CONDITION_FAILED.equals(reasons.get(i).code())) {
                            return new Outcome(i);
                        }
                    }
                    throw e;
                }
                if (attempt >= settings.transactionAttempts()) {
                    throw e;
                }
                LOG.debug("Transaction conflict, attempt {}", attempt);
                conflicts.increment();
                backoff(attempt);
            }
        }
    }

    private static void backoff(int attempt) {
        long cap = Math.min(200, 10L << Math.min(attempt, 5));
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, cap + 1));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying a transaction", interrupted);
        }
    }

    private static AttributeValue string(String s) {
        return AttributeValue.fromS(s);
    }

    private static AttributeValue number(long n) {
        return AttributeValue.fromN(Long.toString(n));
    }

    /** Which item's condition failed, or -1 when the transaction committed. */
    private record Outcome(int failedItem) {
        static final Outcome COMMITTED = new Outcome(-1);

        boolean failedAt(int index) {
            return failedItem == index;
        }
    }

}
