package dev.livecounter.counter.presses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livecounter.common.counters.CounterTable;
import dev.livecounter.common.model.CounterSnapshot;
import dev.livecounter.counter.LocalCounters;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Presses written exactly once, with their markers in the presses table, against DynamoDB Local. */
class PressTransactionTest {

    private final LocalCounters local = new LocalCounters();

    @Test
    void pressesAddUpOnceEachAndBumpTheVersion() {
        local.create("a");
        long before = local.counters.read("a").version();

        List<CounterSnapshot> after = local.presses.add("a",
                List.of(new Press(1, "p1"), new Press(1, "p2"), new Press(-1, null), new Press(1, null)));

        assertEquals(4, after.size());
        assertEquals(2, after.get(0).value());
        assertEquals(before + 1, after.get(0).version(), "one transaction, one version");
        List<CounterSnapshot> retried = local.presses.add("a", List.of(new Press(1, "p1"), new Press(1, "p3")));
        assertEquals(3, retried.get(0).value(), "a press id seen before is not added again");
    }

    @Test
    void aPressOnANameThatIsNoCounterIsRefusedAndWritesNothing() {
        assertThrows(NoSuchCounter.class, () -> local.presses.add("nobody", List.of(new Press(1, "x"))));
        assertEquals(0, local.counters.read("nobody").version());
    }

    @Test
    void aPressIdCountsOncePerLifeOfACounter() {
        local.create("life");
        local.presses.add("life", List.of(new Press(1, "p1")));
        assertEquals(1, local.counters.read("life").value());

        // deleted (by an operator, or by the TTL) and made again by a page's connect: a new life
        local.local.dynamoDb.deleteItem(r -> r.tableName(local.local.tables.counters()).key(CounterTable.key("life")));
        local.create("life");
        List<CounterSnapshot> after = local.presses.add("life", List.of(new Press(1, "p1")));

        assertEquals(1, after.get(0).value(), "a press id used in the counter's earlier life counts in this one");
        assertEquals(1, local.presses.add("life", List.of(new Press(1, "p1"))).get(0).value(), "and once in it");
    }

    @Test
    void moreMarkedPressesThanOneTransactionHoldsGoInSeveralEachCountedOnce() {
        local.create("many");
        List<Press> presses = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            presses.add(new Press(1, "id" + i));
        }

        List<CounterSnapshot> after = local.presses.add("many", presses);

        assertEquals(250, after.get(0).value());
        assertEquals(local.counters.read("many"), after.get(249), "every press answered with the counter after all");
        assertEquals(250, local.presses.add("many", presses).get(0).value(), "all 250 ids remembered");
    }

    @Test
    void aMarkerIsAnItemOfThePressesTableWithItsExpiry() {
        local.create("m");
        local.presses.add("m", List.of(new Press(1, "p1")));
        String life = local.lives.of("m");

        Map<String, AttributeValue> marker = local.local.dynamoDb.getItem(r -> r.tableName(local.local.tables.presses())
                .key(PressTable.key("m", life, "p1")).consistentRead(true)).item();

        assertTrue(marker.containsKey(PressTable.EXPIRES_AT), "gone by TTL after its window: " + marker);
        long expires = Long.parseLong(marker.get(PressTable.EXPIRES_AT).n());
        long now = Instant.now().getEpochSecond();
        assertTrue(expires > now && expires <= now + PressTable.WINDOW.toSeconds() + 1, "expires in its window");
    }
}
