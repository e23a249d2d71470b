package dev.livecounter.common.replicas;

import dev.livecounter.common.dynamodb.OwnedTable;
import dev.livecounter.common.dynamodb.TableSettings;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/** The replicas table for the provisioner, with a TTL on a replica's item. */
@Factory
class ReplicaTableOwner {

    @Singleton
    OwnedTable replicasTable(TableSettings tables) {
        return ReplicaTable.owned(tables);
    }
}
