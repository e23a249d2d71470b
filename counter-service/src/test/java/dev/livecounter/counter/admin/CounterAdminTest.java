package dev.livecounter.counter.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livecounter.common.counters.CounterTable;
import dev.livecounter.common.model.CounterSnapshot;
import dev.livecounter.counter.LocalCounters;
import dev.livecounter.counter.presses.Press;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The operator's changes against DynamoDB Local: reset and delete, the supported way. */
class CounterAdminTest {

    private final LocalCounters local = new LocalCounters();
    private final CounterAdmin admin = local.admin;

    @Test
    void anOperatorResetsTheValueAndDeletesOnlyCountersNobodyHasOpen() {
        local.create("b");
        local.presses.add("b", List.of(new Press(1, null), new Press(1, null)));

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
    void aCounterNobodyHasOpenIsDeleted() {
        local.local.dynamoDb.updateItem(local.counters.update("gone", Instant.now()).add(CounterTable.VISITS, 3)
                .request().build());

        assertTrue(admin.delete("gone"));
        assertEquals(0, local.counters.read("gone").version(), "no item left");
        assertFalse(admin.delete("gone"), "nothing to delete twice");
    }

    @Test
    void aResetOfTheVisitsResetsTheUniqueVisitorsOfTheDayWithThem() {
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        local.local.dynamoDb.updateItem(local.counters.update("u", Instant.now())
                .add(CounterTable.VISITS, 3)
                .set(CounterTable.UNIQUE_DAY, AttributeValue.fromS(today))
                .add(CounterTable.UNIQUE_TODAY, 2)
                .request().build());

        CounterSnapshot valueOnly = admin.reset("u", false);
        assertEquals(3, valueOnly.visits(), "a reset of the value alone keeps the visits");
        assertEquals(2, valueOnly.uniqueToday(), "and the unique visitors they counted");

        CounterSnapshot reset = admin.reset("u", true);
        assertEquals(0, reset.visits());
        assertEquals(0, reset.uniqueToday(), "never more unique visitors than visits: " + reset);
        assertEquals(0, local.counters.read("u").uniqueToday());
        assertEquals("3", local.local.dynamoDb.getItem(r -> r.tableName(local.local.tables.counters())
                        .key(CounterTable.key("u")).consistentRead(true))
                .item().get(CounterTable.VISITS_BEFORE_RESET).n(),
                "the visits the reset took off are kept beside the history that counted them");
    }
}
