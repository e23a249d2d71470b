package dev.livecounter.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livecounter.system.LiveSystem;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The short fault suite in the test command (the full one: {@code ./fault-suite.sh}): every scenario at a small
 * scale against the shared test system, and every row exact — nothing lost, nothing doubled.
 */
class FaultSuiteIT {

    @Test
    void everyFaultScenarioEndsWithExactCounts() {
        FaultSuite suite = new FaultSuite(LiveSystem.get(), FaultSuite.Scale.SHORT);
        List<FaultSuite.Row> rows = suite.runAll();
        String table = FaultSuite.table(rows);
        System.out.println(table);
        System.out.println(suite.transactionConflicts());
        assertEquals(List.of(), rows.stream().filter(r -> !r.exact()).map(FaultSuite.Row::scenario).toList(), table);
    }

    @Test
    void aTableSubscriberEndsWithEveryItemsLastStateAndNothingOutOfOrderAcrossAKilledReplica() {
        TableFault.TableRow row = new FaultSuite(LiveSystem.get(), FaultSuite.Scale.SHORT).runTables();
        String table = TableFault.TableRow.header() + row.format();
        System.out.println(table);
        assertEquals(List.of(), row.violations(), table);
        assertTrue(row.exact(), table);
    }
}
