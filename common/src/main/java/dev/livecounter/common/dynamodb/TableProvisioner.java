package dev.livecounter.common.dynamodb;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * Creates every table this service's modules own ({@link OwnedTable} beans) when {@code livecounter.tables.create}
 * is on. The counters and replicas tables are owned in common, which every service runs, so they exist whichever
 * service starts first; idempotent, since several may start at once.
 */
@Singleton
@Requires(property = "livecounter.tables.create", value = "true")
public record TableProvisioner(TableCreator creator, List<OwnedTable> tables) {

    @EventListener
    void onStartup(StartupEvent event) {
        tables.forEach(table -> creator.createIfMissing(table.definition(), table.ttlAttribute()));
    }
}
