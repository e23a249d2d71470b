package dev.livecounter.connection;

import dev.livecounter.common.counters.CounterLifecycleSettings;
import dev.livecounter.common.counters.CounterStore;
import dev.livecounter.common.counters.CounterTable;
import dev.livecounter.common.dynamodb.Transactions;
import dev.livecounter.common.model.ConnectRequest;
import dev.livecounter.common.replicas.ReplicaTable;
import dev.livecounter.common.testing.LocalDynamoDb;
import dev.livecounter.connection.config.ConnectionSettings;
import dev.livecounter.connection.connect.ConnectCall;
import dev.livecounter.connection.connect.ConnectTransaction;
import dev.livecounter.connection.history.HistoryItems;
import dev.livecounter.connection.history.HistoryRepository;
import dev.livecounter.connection.history.HistoryTable;
import dev.livecounter.connection.history.UniqueVisitors;
import dev.livecounter.connection.store.ConnectionItems;
import dev.livecounter.connection.store.ConnectionReads;
import dev.livecounter.connection.store.ConnectionTable;
import dev.livecounter.connection.store.Disconnects;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * The tables connection-service writes, on DynamoDB Local from their owners' declarations, and its connect and
 * disconnect path wired over them by hand, as the application context wires it.
 */
public final class Fixture {

    public static final ConnectionSettings SETTINGS =
            new ConnectionSettings(Duration.ofMinutes(30), Duration.ofDays(1), 8, Duration.ofHours(1), 49, 8);

    public final LocalDynamoDb local = new LocalDynamoDb(tables -> List.of(CounterTable.owned(tables),
            ReplicaTable.owned(tables), ConnectionTable.owned(tables), HistoryTable.owned(tables)));
    public final CounterStore counters = new CounterStore(local.dynamoDb, local.tables,
            new CounterLifecycleSettings(30, 3, Duration.ofDays(30)));
    public final ConnectionItems items = new ConnectionItems(local.tables, SETTINGS);
    public final Transactions transactions = new Transactions(local.dynamoDb, 8, () -> { });
    public final UniqueVisitors uniqueVisitors = new UniqueVisitors(local.dynamoDb, local.tables);
    public final ConnectTransaction connects = new ConnectTransaction(items, counters, transactions,
            new HistoryItems(local.tables), uniqueVisitors);
    public final ConnectionReads reads = new ConnectionReads(local.dynamoDb, local.tables, SETTINGS);
    public final Disconnects disconnects = new Disconnects(local.dynamoDb, items, reads, counters, transactions);
    public final HistoryRepository history = new HistoryRepository(local.dynamoDb, local.tables, counters);

    /** A connect of a new socket of a new page load on replica r1, of a visitor (or none). */
    public static ConnectCall call(String counter, String visitorId) {
        return call(counter, UUID.randomUUID().toString(), visitorId);
    }

    /** A connect of a new socket of page load {@code visitId} on replica r1. */
    public static ConnectCall call(String counter, String visitId, String visitorId) {
        return onReplica("r1", counter, visitId, visitorId);
    }

    /** A connect of a new socket of page load {@code visitId} on {@code replicaId}. */
    public static ConnectCall onReplica(String replicaId, String counter, String visitId, String visitorId) {
        return new ConnectCall(UUID.randomUUID().toString(),
                new ConnectRequest(counter, replicaId, visitId, visitorId, null));
    }
}
