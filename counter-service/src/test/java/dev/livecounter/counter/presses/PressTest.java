package dev.livecounter.counter.presses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** A press's id follows the one rule for ids (Ids): what the page makes passes, anything else is refused. */
class PressTest {

    @Test
    void aPressWithoutAnIdIsAnOlderPagesAndValid() {
        assertNull(new Press(1, null).id());
    }

    @Test
    void thePagesIdsPass() {
        assertEquals("0123456789abcdef0123456789abcdef", new Press(-1, "0123456789abcdef0123456789abcdef").id());
        assertEquals(64, new Press(1, "a".repeat(64)).id().length());
    }

    @Test
    void anIdOutsideTheRuleIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Press(1, ""));
        assertThrows(IllegalArgumentException.class, () -> new Press(1, "a".repeat(65)));
        assertThrows(IllegalArgumentException.class, () -> new Press(1, "has space"));
        assertThrows(IllegalArgumentException.class, () -> new Press(1, "x#y"), "'#' would reach into the marker's key");
    }
}
