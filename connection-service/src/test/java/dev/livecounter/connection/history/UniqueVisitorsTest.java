package dev.livecounter.connection.history;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livecounter.connection.Fixture;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * A visitor counted once per counter per UTC day and once per bucket, decided by the markers the connect transaction
 * writes: the visitor side of a batch over DynamoDB Local, written here alone. {@code uniques} are by resolution:
 * minute, hour, day.
 */
class UniqueVisitorsTest {

    private static final Instant TEN = Instant.parse("2026-11-30T10:00:30Z");

    private final Fixture f = new Fixture();
    private final UniqueVisitors visitors = f.uniqueVisitors;

    /** One batch of visits of {@code visitorIds} at {@code at}, each marker write decided again as the connect does. */
    private long[] visit(Instant at, String... visitorIds) {
        UniqueVisitors.Batch batch = visitors.begin("c", Arrays.asList(visitorIds), at);
        for (int i = 0; i < visitorIds.length; i++) {
            for (int round = 0; ; round++) {
                TransactWriteItem mark = batch.mark(i);
                if (mark == null || f.transactions.write(List.of(mark)).isEmpty()) {
                    break;
                }
                assertTrue(round < 2, "the marker of " + visitorIds[i] + " kept failing");
                batch.markFailed(i); // another visit of the visitor came first: read it and decide again
            }
        }
        return batch.uniques(i -> true);
    }

    @Test
    void aVisitorNewTodayCountsInEveryBucketAndAVisitWithoutAVisitorIdInNone() {
        assertArrayEquals(new long[] {1, 1, 1}, visit(TEN, "v1", null));
    }

    @Test
    void aVisitorSeenInThisMinuteCountsInNoBucketAgain() {
        visit(TEN, "v1");
        assertArrayEquals(new long[] {0, 0, 0}, visit(TEN.plusSeconds(20), "v1"),
                "another tab, another replica: the marker decides, not this batch's guess");
    }

    @Test
    void aVisitorSeenEarlierThisHourCountsInTheMinuteOnlyAndInAnEarlierHourInTheHourToo() {
        visit(TEN, "v1");
        assertArrayEquals(new long[] {1, 0, 0}, visit(TEN.plusSeconds(5 * 60), "v1"));
        assertArrayEquals(new long[] {1, 1, 0}, visit(TEN.plusSeconds(65 * 60), "v1"));
        assertArrayEquals(new long[] {1, 1, 1}, visit(TEN.plusSeconds(24 * 3600), "v1"), "a new UTC day");
    }

    @Test
    void aBatchGuessesTheCountersDayFromTheLastCommitOfThatDay() {
        UniqueVisitors.Batch first = visitors.begin("d", List.of("v1"), TEN);
        assertFalse(first.counterSameDay(), "nothing counted yet: uniqueToday is set, not added to");
        assertEquals("2026-11-30", first.day());
        first.committed(true);

        UniqueVisitors.Batch next = visitors.begin("d", List.of("v2"), TEN.plusSeconds(60));
        assertTrue(next.counterSameDay());
        next.counterDayWrong(); // its condition on the counter's day failed (a reset, another instance)
        assertFalse(next.counterSameDay());
        assertFalse(visitors.begin("d", List.of("v3"), TEN.plusSeconds(24 * 3600)).counterSameDay(), "a new day");
    }

    @Test
    void aMarkerIsWrittenOnlyWhereTheVisitCountsItsVisitor() {
        UniqueVisitors.Batch batch = visitors.begin("e", Arrays.asList("v1", null), TEN);
        assertNotNull(batch.mark(0));
        assertNull(batch.mark(1), "no visitor id: visits count, visitors do not");
        assertArrayEquals(new long[] {0, 0, 0}, batch.uniques(i -> i == 1), "only the calls included are counted");
    }
}
