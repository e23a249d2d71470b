package dev.livecounter.common.replicas;

import dev.livecounter.common.dynamodb.TableCreator;
import dev.livecounter.common.dynamodb.TableSettings;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;

/** Creates the replicas table when {@code livecounter.tables.create} is on, whichever of its users starts first. */
@Singleton
@Requires(property = "livecounter.tables.create", value = "true")
public class ReplicaTableProvisioner {

    private final TableCreator creator;
    private final TableSettings tables;

    ReplicaTableProvisioner(TableCreator creator, TableSettings tables) {
        this.creator = creator;
        this.tables = tables;
    }

    @EventListener
    void onStartup(StartupEvent event) {
        creator.createIfMissing(ReplicaTable.definition(tables.replicas()), ReplicaTable.EXPIRES_AT);
    }
}
