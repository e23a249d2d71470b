package dev.livecounter.common.counters;

import static dev.livecounter.common.counters.CounterTable.NAME;
import static dev.livecounter.common.counters.CounterTable.ONLINE;
import static dev.livecounter.common.counters.CounterTable.UNIQUE_DAY;
import static dev.livecounter.common.counters.CounterTable.UNIQUE_TODAY;
import static dev.livecounter.common.counters.CounterTable.VALUE;
import static dev.livecounter.common.counters.CounterTable.VERSION;
import static dev.livecounter.common.counters.CounterTable.VISITS;

import dev.livecounter.common.model.CounterSnapshot;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Reads a counters item (from GetItem, UpdateItem or a stream image) into a snapshot. */
public final class CounterItems {

    private CounterItems() {}

    public static CounterSnapshot toSnapshot(String counter, Map<String, AttributeValue> item) {
        if (item == null || item.isEmpty()) {
            return CounterSnapshot.empty(counter);
        }
        return new CounterSnapshot(
                counter,
                number(item, VISITS),
                number(item, ONLINE),
                number(item, VALUE),
                number(item, VERSION),
                uniqueToday(item));
    }

    /** The visitors counted today (UTC); a count kept for an earlier day is yesterday's news: 0. */
    private static long uniqueToday(Map<String, AttributeValue> item) {
        AttributeValue day = item.get(UNIQUE_DAY);
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        return day != null && today.equals(day.s()) ? number(item, UNIQUE_TODAY) : 0;
    }

    public static CounterSnapshot toSnapshot(Map<String, AttributeValue> item) {
        AttributeValue name = item.get(NAME);
        return toSnapshot(name == null ? null : name.s(), item);
    }

    private static long number(Map<String, AttributeValue> item, String attribute) {
        AttributeValue value = item.get(attribute);
        return value == null || value.n() == null ? 0 : Long.parseLong(value.n());
    }
}
