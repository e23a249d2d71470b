package dev.livecounter.connection;

import dev.livecounter.common.dynamodb.OwnedTable;
import dev.livecounter.common.dynamodb.TableSettings;
import dev.livecounter.connection.history.HistoryTable;
import dev.livecounter.connection.store.ConnectionTable;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/** The tables connection-service alone owns, as each table's class declares them, for common's provisioner. */
@Factory
class OwnedTables {

    @Singleton
    OwnedTable connectionsTable(TableSettings tables) {
        return ConnectionTable.owned(tables);
    }

    @Singleton
    OwnedTable historyTable(TableSettings tables) {
        return HistoryTable.owned(tables);
    }
}
