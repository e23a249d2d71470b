package dev.livecounter.counter.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livecounter.common.model.CounterSnapshot;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Presses and the operator's changes against DynamoDB Local. */
class CounterRepositoryTest {

    private final LocalCounters local = new LocalCounters();

    @Test
    void pressesAddUpOnceEachAndBumpTheVersion() {
        local.create("a");
        long before = local.counters.read("a").version();

        List<CounterSnapshot> after = local.repository.add("a",
                List.of(new Press(1, "p1"), new Press(1, "p2"), new Press(-1, null), new Press(1, null)));

        assertEquals(4, after.size());
        assertEquals(2, after.get(0).value());
        assertEquals(before + 1, after.get(0).version(), "one transaction, one version");
        List<CounterSnapshot> retried = local.repository.add("a", List.of(new Press(1, "p1"), new Press(1, "p3")));
        assertEquals(3, retried.get(0).value(), "a press id seen before is not added again");
    }

    @Test
    void aPressOnANameThatIsNoCounterIsRefusedAndWritesNothing() {
        assertThrows(NoSuchCounter.class, () -> local.repository.add("nobody", List.of(new Press(1, "x"))));
        assertEquals(0, local.counters.read("nobody").version());
    }

    @Test
    void anOperatorResetsTheValueAndDeletesOnlyCountersNobodyHasOpen() {
        local.create("b");
        local.repository.add("b", List.of(new Press(1, null), new Press(1, null)));
        CounterAdmin admin = new CounterAdmin(local.dynamoDb, local.counters);

        CounterSnapshot reset = admin.reset("b", true);
        assertEquals(0, reset.value());
        assertEquals(0, reset.visits());
        assertEquals(1, reset.online(), "the open socket is still counted");
        assertTrue(reset.version() > 0);
        assertNull(admin.reset("missing", false));

        assertFalse(admin.delete("b"), "a page has it open");
        assertEquals(1, local.counters.read("b").online());
    }

    @Test
    void aResetOfTheVisitsResetsTheUniqueVisitorsOfTheDayWithThem() {
        String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
        local.dynamoDb.updateItem(local.counters.update("u", java.time.Instant.now())
                .add(dev.livecounter.common.counters.CounterTable.VISITS, 3)
                .set(dev.livecounter.common.counters.CounterTable.UNIQUE_DAY,
                        software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(today))
                .add(dev.livecounter.common.counters.CounterTable.UNIQUE_TODAY, 2)
                .request().build());
        CounterAdmin admin = new CounterAdmin(local.dynamoDb, local.counters);

        CounterSnapshot valueOnly = admin.reset("u", false);
        assertEquals(3, valueOnly.visits(), "a reset of the value alone keeps the visits");
        assertEquals(2, valueOnly.uniqueToday(), "and the unique visitors they counted");

        CounterSnapshot reset = admin.reset("u", true);
        assertEquals(0, reset.visits());
        assertEquals(0, reset.uniqueToday(), "never more unique visitors than visits: " + reset);
        assertEquals(0, local.counters.read("u").uniqueToday());
        assertEquals("3", local.dynamoDb.getItem(r -> r.tableName(local.tables.counters())
                        .key(dev.livecounter.common.counters.CounterTable.key("u")).consistentRead(true))
                .item().get(dev.livecounter.common.counters.CounterTable.VISITS_BEFORE_RESET).n(),
                "the visits the reset took off are kept beside the history that counted them");
    }

    @Test
    void aPressIdCountsOncePerLifeOfACounter() {
        local.create("life");
        local.repository.add("life", List.of(new Press(1, "p1")));
        assertEquals(1, local.counters.read("life").value());

        // deleted (by an operator, or by the TTL) and made again by a page's connect: a new life
        local.dynamoDb.deleteItem(r -> r.tableName(local.tables.counters())
                .key(dev.livecounter.common.counters.CounterTable.key("life")));
        local.create("life");
        List<CounterSnapshot> after = local.repository.add("life", List.of(new Press(1, "p1")));

        assertEquals(1, after.get(0).value(), "a press id used in the counter's earlier life counts in this one");
        assertEquals(1, local.repository.add("life", List.of(new Press(1, "p1"))).get(0).value(),
                "and once in it");
    }

    @Test
    void theListPagesThroughEveryCounter() {
        List.of("c1", "c2", "c3").forEach(local::create);

        CounterRepository.Page first = local.repository.list(null, 2);
        CounterRepository.Page second = local.repository.list(first.next(), 2);

        assertEquals(2, first.counters().size());
        assertEquals(3, first.counters().size() + second.counters().size());
    }
}
