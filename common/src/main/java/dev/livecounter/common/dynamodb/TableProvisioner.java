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
public final class TableProvisioner {

    private final TableCreator creator;
    private final List<OwnedTable> tables;

    public TableProvisioner(TableCreator creator, List<OwnedTable> tables) {
        this.creator = creator;
        this.tables = tables;
    }

    @EventListener
    void onStartup(StartupEvent event) {
        createAll();
    }

    /** Makes every owned table exist (each one created unless it is there), with its TTL. */
    public void createAll() {
        tables.forEach(table -> creator.createIfMissing(table.definition(), table.ttlAttribute()));
    }
}
