package dev.livecounter.counter.presses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.livecounter.common.counters.CounterTable;
import dev.livecounter.counter.LocalCounters;
import org.junit.jupiter.api.Test;

/** Each counter's life stamp, read once and kept until the press transaction says it is stale. */
class CounterLivesTest {

    private final LocalCounters local = new LocalCounters();

    @Test
    void aLifeIsReadOnceAndKeptUntilForgotten() {
        local.create("l");
        String first = local.lives.of("l");
        local.local.dynamoDb.deleteItem(r -> r.tableName(local.local.tables.counters()).key(CounterTable.key("l")));
        local.create("l");

        assertEquals(first, local.lives.of("l"), "kept: no read per press");
        local.lives.forget("l", "not-its-life");
        assertEquals(first, local.lives.of("l"), "forgetting another life changes nothing");
        local.lives.forget("l", first);
        assertNotEquals(first, local.lives.of("l"), "read again: the counter's new life");
    }

    @Test
    void aNameThatIsNoCounterHasNoLife() {
        assertThrows(NoSuchCounter.class, () -> local.lives.of("none"));
    }
}
