package dev.livecounter.connection.store;

import static dev.livecounter.connection.store.ConnectionTable.CLOSED_AT;
import static dev.livecounter.connection.store.ConnectionTable.CONNECTED_AT;
import static dev.livecounter.connection.store.ConnectionTable.CONNECTION_ID;
import static dev.livecounter.connection.store.ConnectionTable.COUNTER;
import static dev.livecounter.connection.store.ConnectionTable.EXPIRES_AT;
import static dev.livecounter.connection.store.ConnectionTable.REPLICA_ID;
import static dev.livecounter.connection.store.ConnectionTable.VISIT_ID;

import dev.livecounter.common.dynamodb.TableSettings;
import dev.livecounter.common.dynamodb.Transactions;
import dev.livecounter.common.model.ConnectRequest;
import dev.livecounter.connection.config.ConnectionSettings;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The writes of connections-table items that connects and disconnects put in their transactions, each with the
 * condition that makes a retried or reordered call count nothing.
 */
@Singleton
public final class ConnectionItems {

    private final TableSettings tables;
    private final ConnectionSettings settings;

    public ConnectionItems(TableSettings tables, ConnectionSettings settings) {
        this.tables = tables;
        this.settings = settings;
    }

    /** The connections table's name. */
    public String table() {
        return tables.connections();
    }

    /** A live connection, put only if its id is unknown (a retried call, or a socket whose disconnect came first). */
    public TransactWriteItem putConnection(String connectionId, ConnectRequest request, Instant now) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(CONNECTION_ID, string(connectionId));
        item.put(COUNTER, string(request.counter()));
        item.put(REPLICA_ID, string(request.replicaId()));
        item.put(VISIT_ID, string(request.visitId()));
        item.put(CONNECTED_AT, string(now.toString()));
        item.put(EXPIRES_AT, connectionExpiry(now));
        return Transactions.putNew(tables.connections(), item, CONNECTION_ID);
    }

    /** A live connection's TTL, a backstop counted from its connect or its socket's last renewal at {@code now}. */
    public AttributeValue connectionExpiry(Instant now) {
        return number(now.plus(settings.connectionTtl()).getEpochSecond());
    }

    /** A page load's first visit within the window: its marker, put only if none is live (else it is a reconnect). */
    public TransactWriteItem firstVisit(ConnectRequest request, Instant now) {
        return TransactWriteItem.builder()
                .put(p -> p.tableName(tables.connections())
                        .item(visitItem(request, now))
                        .conditionExpression("attribute_not_exists(#id) OR #exp < :now")
                        .expressionAttributeNames(Map.of("#id", CONNECTION_ID, "#exp", EXPIRES_AT))
                        .expressionAttributeValues(Map.of(":now", number(now.getEpochSecond()))))
                .build();
    }

    /** A reconnect's visit marker, its window started again. */
    public TransactWriteItem refreshVisit(ConnectRequest request, Instant now) {
        return TransactWriteItem.builder()
                .put(p -> p.tableName(tables.connections()).item(visitItem(request, now)))
                .build();
    }

    private Map<String, AttributeValue> visitItem(ConnectRequest request, Instant now) {
        return visitMarker(request.counter(), request.visitId(), now);
    }

    /** A page load's visit marker, its window running from {@code now} (a connect, or its socket's renewal). */
    public Map<String, AttributeValue> visitMarker(String counter, String visitId, Instant now) {
        return Map.of(
                CONNECTION_ID, string(ConnectionTable.visitKey(counter, visitId)),
                COUNTER, string(counter),
                EXPIRES_AT, number(now.plus(settings.visitWindow()).getEpochSecond()));
    }

    /** A live connection replaced by its tombstone, only if it is still live (not closed or reaped meanwhile). */
    public TransactWriteItem closeConnection(String connectionId, String counter, Instant now) {
        return TransactWriteItem.builder()
                .put(p -> p.tableName(tables.connections())
                        .item(tombstone(connectionId, counter, now))
                        .conditionExpression("attribute_exists(#replica)")
                        .expressionAttributeNames(Map.of("#replica", REPLICA_ID)))
                .build();
    }

    /** A closed connection: no replicaId (so the reaper's index never lists it), gone by TTL after a while. */
    public Map<String, AttributeValue> tombstone(String connectionId, String counter, Instant now) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(CONNECTION_ID, string(connectionId));
        if (counter != null) {
            item.put(COUNTER, string(counter));
        }
        item.put(CLOSED_AT, string(now.toString()));
        item.put(EXPIRES_AT, number(now.plus(settings.tombstoneTtl()).getEpochSecond()));
        return item;
    }

    static AttributeValue string(String s) {
        return AttributeValue.fromS(s);
    }

    static AttributeValue number(long n) {
        return AttributeValue.fromN(Long.toString(n));
    }
}
