package dev.livecounter.counter;

import dev.livecounter.common.dynamodb.OwnedTable;
import dev.livecounter.common.dynamodb.TableSettings;
import dev.livecounter.counter.presses.PressTable;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/** The table counter-service alone owns, as its class declares it, for common's provisioner: the presses. */
@Factory
class OwnedTables {

    @Singleton
    OwnedTable pressesTable(TableSettings tables) {
        return PressTable.owned(tables);
    }
}
