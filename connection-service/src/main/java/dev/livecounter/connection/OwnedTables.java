package dev.livecounter.connection.dynamodb;

import dev.livecounter.common.dynamodb.OwnedTable;
import dev.livecounter.common.dynamodb.TableSettings;
import dev.livecounter.connection.history.HistoryTable;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/** The tables connection-service alone owns, for common's provisioner: connections and history. */
@Factory
class ConnectionTablesOwner {

    @Singleton
    OwnedTable connectionsTable(TableSettings tables) {
        return new OwnedTable(ConnectionTable.definition(tables.connections()), ConnectionTable.EXPIRES_AT);
    }

    @Singleton
    OwnedTable historyTable(TableSettings tables) {
        return new OwnedTable(HistoryTable.definition(tables.history()), HistoryTable.EXPIRES_AT);
    }
}
