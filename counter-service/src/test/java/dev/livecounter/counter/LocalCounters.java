package dev.livecounter.counter;

import dev.livecounter.common.counters.CounterLifecycleSettings;
import dev.livecounter.common.counters.CounterStore;
import dev.livecounter.common.counters.CounterTable;
import dev.livecounter.common.dynamodb.Transactions;
import dev.livecounter.common.testing.LocalDynamoDb;
import dev.livecounter.counter.admin.CounterAdmin;
import dev.livecounter.counter.presses.CounterLives;
import dev.livecounter.counter.presses.PressTable;
import dev.livecounter.counter.presses.PressTransaction;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The tables counter-service writes (counters, presses), on DynamoDB Local from their owners' declarations, and its
 * beans wired over them by hand, as the application context wires them.
 */
public final class LocalCounters {

    public final LocalDynamoDb local =
            new LocalDynamoDb(tables -> List.of(CounterTable.owned(tables), PressTable.owned(tables)));
    public final CounterStore counters = new CounterStore(local.dynamoDb, local.tables,
            new CounterLifecycleSettings(30, 3, Duration.ofDays(30)));
    public final CounterLives lives = new CounterLives(counters);
    public final PressTransaction presses = new PressTransaction(counters, local.tables, lives,
            new Transactions(local.dynamoDb, Transactions.DEFAULT_ATTEMPTS, () -> { }));
    public final CounterAdmin admin = new CounterAdmin(local.dynamoDb, counters);

    /** Makes the counter exist, as a page's first connect does. */
    public void create(String counter) {
        local.dynamoDb.updateItem(counters.update(counter, Instant.now()).add(CounterTable.ONLINE, 1).request().build());
    }
}
