package dev.livecounter.common.counters;

import dev.livecounter.common.dynamodb.OwnedTable;
import dev.livecounter.common.dynamodb.TableSettings;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/** The counters table for the provisioner, with a TTL: a counter not written for a while goes. */
@Factory
class CounterTableOwner {

    @Singleton
    OwnedTable countersTable(TableSettings tables) {
        return CounterTable.owned(tables);
    }
}
