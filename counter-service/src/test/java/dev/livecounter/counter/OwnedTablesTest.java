package dev.livecounter.counter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.livecounter.common.dynamodb.OwnedTable;
import io.micronaut.context.ApplicationContext;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The tables this service's provisioner makes: its own presses table, and the ones common owns. */
class OwnedTablesTest {

    @Test
    void theServiceDeclaresThePressesTableBesideCommonsTables() {
        try (ApplicationContext context = ApplicationContext.run(Map.of("livecounter.tables.prefix", "demo-"))) {
            Set<String> tables = context.getBeansOfType(OwnedTable.class).stream()
                    .map(table -> table.definition().build().tableName())
                    .collect(Collectors.toSet());

            assertEquals(Set.of("demo-counters", "demo-replicas", "demo-presses"), tables,
                    "never the connections table: connection-service alone owns it");
        }
    }
}
