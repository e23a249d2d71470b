package dev.livecounter.counter.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.livecounter.common.model.CounterSnapshot;
import dev.livecounter.counter.LocalCounters;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The list of counters, page by page: every counter once, and an end. */
class CounterListTest {

    private final LocalCounters local = new LocalCounters();

    @Test
    void thePagesHoldEveryCounterOnceAndTheLastSaysItIsTheLast() {
        List.of("c1", "c2", "c3", "c4", "c5").forEach(local::create);

        List<String> seen = new ArrayList<>();
        String after = null;
        int pages = 0;
        do {
            CounterAdmin.Page page = local.admin.list(after, 2);
            page.counters().stream().map(CounterSnapshot::counter).forEach(seen::add);
            after = page.next();
            pages++;
        } while (after != null && pages < 10);

        assertEquals(List.of("c1", "c2", "c3", "c4", "c5"), seen.stream().sorted().toList());
        assertEquals(3, pages, "2 + 2 + 1");
    }

    @Test
    void aCounterIsListedAsPagesShowIt() {
        local.create("shown");

        CounterAdmin.Page page = local.admin.list(null, 10);

        assertEquals(List.of(local.counters.read("shown")), page.counters());
        assertNull(page.next());
    }
}
