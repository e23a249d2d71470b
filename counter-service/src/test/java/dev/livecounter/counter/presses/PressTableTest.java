package dev.livecounter.counter.presses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.livecounter.common.dynamodb.OwnedTable;
import dev.livecounter.common.dynamodb.TableSettings;
import dev.livecounter.common.dynamodb.Transactions;
import dev.livecounter.counter.LocalCounters;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The presses table, counter-service's own: its declaration and the one kind of item it holds. */
class PressTableTest {

    @Test
    void itIsDeclaredUnderTheInstallsPrefixKeyedByPressWithItsTtl() {
        OwnedTable table = PressTable.owned(new TableSettings("demo-", false));

        assertEquals("demo-presses", table.definition().build().tableName());
        assertEquals(PressTable.PRESS, table.definition().build().keySchema().get(0).attributeName());
        assertEquals(PressTable.EXPIRES_AT, table.ttlAttribute());
    }

    @Test
    void aMarkersKeyNamesTheCounterItsLifeAndThePressId() {
        assertEquals("home#42#p1", PressTable.key("home", "42", "p1").get(PressTable.PRESS).s());
        assertNotEquals(PressTable.key("home", "42", "p1"), PressTable.key("home", "43", "p1"), "one per life");
    }

    @Test
    void aMarkerIsPutOnlyWhereNoneIs() {
        LocalCounters local = new LocalCounters();
        Transactions transactions = new Transactions(local.local.dynamoDb, 1, () -> { });
        String table = local.local.tables.presses();

        assertEquals(Set.of(), transactions.write(List.of(PressTable.marker(table, "c", "1", "p", Instant.now()))));
        assertEquals(Set.of(0), transactions.write(List.of(PressTable.marker(table, "c", "1", "p", Instant.now()))),
                "the second is the answer 'applied before'");
    }
}
