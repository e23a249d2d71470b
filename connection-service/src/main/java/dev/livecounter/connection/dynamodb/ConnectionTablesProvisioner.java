package dev.livecounter.connection.dynamodb;

import dev.livecounter.common.dynamodb.TableCreator;
import dev.livecounter.common.dynamodb.TableSettings;
import dev.livecounter.connection.history.HistoryTable;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;

/**
 * Creates the tables connection-service owns (connections, history) when {@code livecounter.tables.create} is on.
 * Idempotent: several instances may start at once. The counters and replicas tables are made by their owners in
 * common, which every service runs.
 */
@Singleton
@Requires(property = "livecounter.tables.create", value = "true")
public class ConnectionTablesProvisioner {

    private final TableCreator creator;
    private final TableSettings tables;

    ConnectionTablesProvisioner(TableCreator creator, TableSettings tables) {
        this.creator = creator;
        this.tables = tables;
    }

    @EventListener
    void onStartup(StartupEvent event) {
        creator.createIfMissing(ConnectionTable.definition(tables.connections()), ConnectionTable.EXPIRES_AT);
        creator.createIfMissing(HistoryTable.definition(tables.history()), HistoryTable.EXPIRES_AT);
    }
}
