package dev.livecounter.connection.dynamodb;

import dev.livecounter.common.dynamodb.Transactions;
import dev.livecounter.common.model.ConnectRequest;
import dev.livecounter.connection.config.ConnectionSettings;
import dev.livecounter.connection.history.HistoryItems;
import dev.livecounter.connection.history.HistoryRepository;
import dev.livecounter.connection.history.UniqueVisitors;
import java.time.Duration;
import java.util.UUID;

/** The connect and disconnect path wired by hand over {@link LocalTables}, as the application context wires it. */
final class Fixture {

    static final ConnectionSettings SETTINGS =
            new ConnectionSettings(Duration.ofMinutes(30), Duration.ofDays(1), 8, Duration.ofHours(1), 49, 8);

    final LocalTables local = LocalTables.create();
    final ConnectionItems items = new ConnectionItems(local.tables, SETTINGS);
    final Transactions transactions = new Transactions(local.dynamoDb, 8, () -> { });
    final ConnectTransaction connects = new ConnectTransaction(items, local.counters, transactions,
            new HistoryItems(local.tables), new UniqueVisitors(local.dynamoDb, local.tables));
    final ConnectionReads reads = new ConnectionReads(local.dynamoDb, local.tables, SETTINGS);
    final Disconnects disconnects = new Disconnects(local.dynamoDb, items, reads, local.counters, transactions);
    final HistoryRepository history = new HistoryRepository(local.dynamoDb, local.tables, local.counters);

    /** A connect of a new socket of a new page load on replica r1, of a visitor (or none). */
    static ConnectCall call(String counter, String visitorId) {
        return call(counter, UUID.randomUUID().toString(), visitorId);
    }

    static ConnectCall call(String counter, String visitId, String visitorId) {
        return new ConnectCall(UUID.randomUUID().toString(), new ConnectRequest(counter, "r1", visitId, visitorId, null));
    }
}
