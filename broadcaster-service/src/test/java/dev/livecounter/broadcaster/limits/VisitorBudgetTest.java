package dev.livecounter.broadcaster.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.livecounter.broadcaster.config.LimitSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class VisitorBudgetTest {

    private static final LimitSettings THREE_A_MINUTE = new LimitSettings(
            null, List.of(), 50, 5, 20, 5, 20, 3, 2, 20, 50, Duration.ofSeconds(25), Duration.ofSeconds(70));

    private static final class Ticking extends Clock {
        Instant now = Instant.parse("2026-12-07T10:00:05Z");

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void newVisitorIdsPastTheShareAreNotSentOnButKnownOnesAre() {
        Ticking clock = new Ticking();
        VisitorBudget budget = new VisitorBudget(THREE_A_MINUTE, new FleetShare(() -> 1), clock);
        assertEquals("a", budget.admit("10.0.0.1", "a"));
        assertEquals("b", budget.admit("10.0.0.1", "b"));
        assertEquals("c", budget.admit("10.0.0.1", "c"));
        assertNull(budget.admit("10.0.0.1", "d"), "a fourth new id in the minute: the visit counts, the visitor not");
        assertEquals("a", budget.admit("10.0.0.1", "a"), "a visitor already seen this minute (another tab)");
        assertEquals("d", budget.admit("10.0.0.2", "d"), "another address has its own budget");
        clock.now = clock.now.plusSeconds(60);
        assertEquals("d", budget.admit("10.0.0.1", "d"), "a new minute, a new budget");
    }

    @Test
    void withTwoReplicasEachTakesHalf() {
        VisitorBudget budget = new VisitorBudget(THREE_A_MINUTE, new FleetShare(() -> 2), new Ticking());
        assertEquals("a", budget.admit("10.0.0.1", "a"));
        assertEquals("b", budget.admit("10.0.0.1", "b"));
        assertNull(budget.admit("10.0.0.1", "c"), "two of three on this replica (rounded up)");
        assertNull(budget.admit("10.0.0.1", null), "no visitor id stays none");
    }
}
