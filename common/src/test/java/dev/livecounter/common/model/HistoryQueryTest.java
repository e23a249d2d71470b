package dev.livecounter.common.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** History queries: the default ranges, rounding to buckets, and the bounds that make a clear 400. */
class HistoryQueryTest {

    private static final Instant NOW = Instant.parse("2026-11-30T10:04:37Z");

    @Test
    void withoutFromAndToTheLastHourMinuteByMinuteEndingWithTheCurrentMinute() {
        List<Instant> starts = HistoryQuery.parse(null, null, null, NOW).starts();
        assertEquals(60, starts.size());
        assertEquals(Instant.parse("2026-11-30T09:05:00Z"), starts.get(0));
        assertEquals(Instant.parse("2026-11-30T10:04:00Z"), starts.get(59));
        assertEquals("2026-11-30T10:04:00Z", starts.get(59).toString(), "as the API writes it");
    }

    @Test
    void hoursDefaultTo48AndDaysTo30() {
        assertEquals(48, HistoryQuery.parse("hour", null, null, NOW).starts().size());
        List<Instant> days = HistoryQuery.parse("day", null, null, NOW).starts();
        assertEquals(30, days.size());
        assertEquals(Instant.parse("2026-11-30T00:00:00Z"), days.get(29));
    }

    @Test
    void bothEndsAreRoundedDownToTheirBucketAndIncluded() {
        HistoryQuery q = HistoryQuery.parse("minute", "2026-11-30T10:00:59Z", "2026-11-30T10:02:01Z", NOW);
        assertEquals(List.of(Instant.parse("2026-11-30T10:00:00Z"), Instant.parse("2026-11-30T10:01:00Z"),
                Instant.parse("2026-11-30T10:02:00Z")), q.starts());
    }

    @Test
    void badQueriesSayWhatIsWrong() {
        assertMessage("resolution: minute, hour or day", "week", null, null);
        assertMessage("from: an ISO-8601 instant", "minute", "yesterday", null);
        assertMessage("from must not be after to", "minute", "2026-11-30T10:00:00Z", "2026-11-30T09:00:00Z");
        assertMessage("minute buckets are kept 48 hours", "minute", NOW.minus(Duration.ofHours(49)).toString(), null);
        assertMessage("hour buckets are kept 90 days", "hour", NOW.minus(Duration.ofDays(91)).toString(), null);
        assertMessage("at most 1440 buckets", "day", "2020-01-01T00:00:00Z", null);
        assertMessage("at most 1440 buckets", "minute", NOW.minus(Duration.ofHours(30)).toString(), null);
    }

    @Test
    void datesOutsideTheRepresentableRangeAreRefusedNotThrown() {
        for (String resolution : List.of("minute", "hour", "day")) {
            for (String date : List.of("+1000000000-12-31T23:59:59Z", "-1000000000-01-01T00:00:00Z", "+10000-01-01T00:00:00Z",
                    "-0001-12-31T23:59:59Z", "0000-01-01T00:00:00Z", "1969-12-31T23:59:59Z", "+999999999-01-01T00:00:00Z")) {
                assertMessage("to: between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59Z", resolution, null, date);
                assertMessage("from: between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59Z", resolution, date, null);
            }
        }
        // an offset is read as the instant it names, the same check follows; an absurd one is no ISO-8601 instant
        assertMessage("to: between", "day", null, "9999-12-31T23:59:59-18:00");
        assertMessage("to: an ISO-8601 instant", "day", null, "2026-11-30T10:00:00+99:00");
    }

    @Test
    void theLastRepresentableBucketsAreAnsweredWithoutOverflow() {
        for (Resolution r : Resolution.values()) {
            List<Instant> starts = HistoryQuery.parse(r.id(), null, "9999-12-31T23:59:59Z", NOW).starts();
            assertEquals(r.defaultBuckets(), starts.size(), r.id());
            assertEquals(r.truncate(Instant.parse("9999-12-31T23:59:59Z")), starts.get(starts.size() - 1));
        }
        assertEquals(Instant.EPOCH, HistoryQuery.parse("day", "1970-01-01T00:00:00Z", "1970-01-02T00:00:00Z", NOW).first());
    }

    @Property
    void noInstantJavaCanParseMakesAnythingButAnAnswerOrARefusal(
            @ForAll @LongRange(min = -31_557_014_167_219_200L, max = 31_556_889_864_403_199L) long seconds,
            @ForAll @LongRange(min = -31_557_014_167_219_200L, max = 31_556_889_864_403_199L) long other) {
        String a = Instant.ofEpochSecond(seconds).toString();
        String b = Instant.ofEpochSecond(other).toString();
        for (Resolution r : Resolution.values()) {
            for (String[] fromTo : new String[][] {{a, b}, {null, a}, {a, null}, {b, a}}) {
                try {
                    HistoryQuery.parse(r.id(), fromTo[0], fromTo[1], NOW).starts();
                } catch (HistoryQuery.Invalid refused) {
                    // a 400
                }
            }
        }
    }

    @Property
    void everyAcceptedRangeIsInTimeOrderOneBucketApartAndBounded(
            @ForAll @LongRange(min = 0, max = 200_000) long back, @ForAll @LongRange(min = 0, max = 200_000) long span) {
        for (Resolution r : Resolution.values()) {
            Instant from = NOW.minusSeconds(back * 60);
            Instant to = from.plusSeconds(span * 60);
            HistoryQuery q;
            try {
                q = HistoryQuery.parse(r.id(), from.toString(), to.toString(), NOW);
            } catch (HistoryQuery.Invalid refused) {
                continue;
            }
            List<Instant> starts = q.starts();
            assertTrue(!starts.isEmpty() && starts.size() <= HistoryQuery.MAX_BUCKETS);
            assertEquals(r.truncate(from), starts.get(0));
            assertEquals(r.truncate(to), starts.get(starts.size() - 1));
            for (int i = 1; i < starts.size(); i++) {
                assertEquals(r.next(starts.get(i - 1)), starts.get(i));
            }
        }
    }

    private static void assertMessage(String expected, String resolution, String from, String to) {
        HistoryQuery.Invalid e = assertThrows(HistoryQuery.Invalid.class, () -> HistoryQuery.parse(resolution, from, to, NOW));
        assertTrue(e.getMessage().startsWith(expected) || e.getMessage().contains(expected), e.getMessage());
    }
}
