package dev.livecounter.common.dynamodb;

import dev.livecounter.common.model.CounterSnapshot;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Reads a counters item (from GetItem, UpdateItem or a stream image) into a snapshot. */
public final class CounterItems {

    private CounterItems() {}

    /**
     * The update clause every writer bumps a counter's version with ({@code SET}, with {@code #version} and the
     * values of {@link #versionValues()}). A counter item that does not exist (new, or deleted by an operator)
     * starts at a version made from the time, {@code millis * 1000}, not at 1: the pages and broadcasters of a
     * deleted counter hold its old version and drop anything not newer, so a counter restarting at 1 froze them.
     * Any counter changed fewer than a thousand times per millisecond of its life stays below a restart's base;
     * the numbers stay below 2^53, so a page's JavaScript reads them exactly.
     */
    public static final String BUMP_VERSION = "#version = if_not_exists(#version, :versionBase) + :versionOne";

    /** The values {@link #BUMP_VERSION} refers to. */
    public static Map<String, AttributeValue> versionValues() {
        return Map.of(
                ":versionBase", AttributeValue.fromN(Long.toString(System.currentTimeMillis() * 1000)),
                ":versionOne", AttributeValue.fromN("1"));
    }

    public static CounterSnapshot toSnapshot(String counter, Map<String, AttributeValue> item) {
        if (item == null || item.isEmpty()) {
            return CounterSnapshot.empty(counter);
        }
        return new CounterSnapshot(
                counter,
                number(item, Schema.VISITS),
                number(item, Schema.ONLINE),
                number(item, Schema.VALUE),
                number(item, Schema.VERSION),
                uniqueToday(item));
    }

    /** The visitors counted today (UTC); a count kept for an earlier day is yesterday's news: 0. */
    private static long uniqueToday(Map<String, AttributeValue> item) {
        AttributeValue day = item.get(Schema.UNIQUE_DAY);
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        return day != null && today.equals(day.s()) ? number(item, Schema.UNIQUE_TODAY) : 0;
    }

    public static CounterSnapshot toSnapshot(Map<String, AttributeValue> item) {
        AttributeValue name = item.get(Schema.NAME);
        return toSnapshot(name == null ? null : name.s(), item);
    }

    private static long number(Map<String, AttributeValue> item, String attribute) {
        AttributeValue value = item.get(attribute);
        return value == null || value.n() == null ? 0 : Long.parseLong(value.n());
    }
}
