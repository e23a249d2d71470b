package dev.livecounter.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
        List<FaultSuite.Row> rows = new FaultSuite(LiveSystem.get(), FaultSuite.Scale.SHORT).runAll();
        String table = FaultSuite.table(rows);
        System.out.println(table);
        assertEquals(List.of(), rows.stream().filter(r -> !r.exact()).map(FaultSuite.Row::scenario).toList(), table);
    }
}
