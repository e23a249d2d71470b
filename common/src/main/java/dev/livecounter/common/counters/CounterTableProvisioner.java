package dev.livecounter.common.counters;

import dev.livecounter.common.dynamodb.TableCreator;
import dev.livecounter.common.dynamodb.TableSettings;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;

/**
 * Creates the counters table when {@code livecounter.tables.create} is on. Every service uses it (two write it, the
 * broadcasters read its stream), so every service makes sure of it, whichever starts first.
 */
@Singleton
@Requires(property = "livecounter.tables.create", value = "true")
public class CounterTableProvisioner {

    private final TableCreator creator;
    private final TableSettings tables;

    CounterTableProvisioner(TableCreator creator, TableSettings tables) {
        this.creator = creator;
        this.tables = tables;
    }

    @EventListener
    void onStartup(StartupEvent event) {
        // with a TTL: a counter not written for a while (CounterLifecycleSettings) is deleted
        creator.createIfMissing(CounterTable.definition(tables.counters()), CounterTable.EXPIRES_AT);
    }
}
