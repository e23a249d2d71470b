package dev.livecounter.common.counters;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * A write of one counter item, the only way the application changes one: whatever it adds or sets, it sets
 * {@code updatedAt} and bumps {@code version}, so pages and broadcasters (which drop anything not newer) see it.
 *
 * <p>A counter item that does not exist (new, or deleted by an operator) starts at a version made from the time,
 * {@code millis * 1000}, not at 1: the pages and broadcasters of a deleted counter hold its old version and drop
 * anything not newer, so a counter restarting at 1 froze them. Any counter changed fewer than a thousand times per
 * millisecond of its life stays below a restart's base; the numbers stay below 2^53, so a page's JavaScript reads
 * them exactly.
 *
 * <p>The same base stamps a new item's {@code life} ({@link CounterTable#LIFE}), kept for the item's whole life: a
 * counter deleted and made again has another.
 *
 * <p>Placeholders are the attribute's name: {@code #online}/{@code :online}; a condition refers to them so.
 */
public final class CounterUpdate {

    private final String table;
    private final String counter;
    private final List<String> adds = new ArrayList<>();
    private final List<String> sets = new ArrayList<>();
    private final Map<String, String> names = new HashMap<>();
    private final Map<String, AttributeValue> values = new HashMap<>();
    private String condition;

    private CounterUpdate(String table, String counter, Instant now) {
        this.table = table;
        this.counter = counter;
        set(CounterTable.UPDATED_AT, AttributeValue.fromS(now.toString()));
        names.put("#" + CounterTable.VERSION, CounterTable.VERSION);
        values.put(":versionBase", AttributeValue.fromN(Long.toString(now.toEpochMilli() * 1000)));
        values.put(":versionOne", AttributeValue.fromN("1"));
        sets.add("#version = if_not_exists(#version, :versionBase) + :versionOne");
        // the write that makes the item stamps its life; an item made before life stamps gets one at its next write
        names.put("#" + CounterTable.LIFE, CounterTable.LIFE);
        sets.add("#life = if_not_exists(#life, :versionBase)");
    }

    /** A write of {@code counter} in {@code table} (the counters table) at {@code now}. */
    public static CounterUpdate of(String table, String counter, Instant now) {
        return new CounterUpdate(table, counter, now);
    }

    /** Adds {@code amount} to a number attribute ({@code ADD}; an absent one starts at 0). */
    public CounterUpdate add(String attribute, long amount) {
        name(attribute);
        values.put(":" + attribute, AttributeValue.fromN(Long.toString(amount)));
        adds.add("#" + attribute + " :" + attribute);
        return this;
    }

    /** Sets an attribute. */
    public CounterUpdate set(String attribute, AttributeValue value) {
        name(attribute);
        values.put(":" + attribute, value);
        sets.add("#" + attribute + " = :" + attribute);
        return this;
    }

    /** Sets a number attribute. */
    public CounterUpdate set(String attribute, long value) {
        return set(attribute, AttributeValue.fromN(Long.toString(value)));
    }

    /**
     * Sets a number attribute to 0 and adds what it held to {@code keeper} (absent ones count as 0), in the same
     * write: nothing counted is forgotten, only moved.
     */
    public CounterUpdate zeroInto(String attribute, String keeper) {
        set(attribute, 0);
        name(keeper);
        values.put(":zero", AttributeValue.fromN("0"));
        sets.add("#" + keeper + " = if_not_exists(#" + keeper + ", :zero) + if_not_exists(#" + attribute + ", :zero)");
        return this;
    }

    /**
     * The condition of the write; attributes in it are {@code #attribute} (see {@link #name}), other values
     * {@code :placeholders} given here.
     */
    public CounterUpdate when(String condition, Map<String, AttributeValue> conditionValues) {
        this.condition = condition;
        values.putAll(conditionValues);
        return this;
    }

    /** Makes {@code #attribute} usable in a condition (attributes added or set are already). */
    public CounterUpdate name(String attribute) {
        names.put("#" + attribute, attribute);
        return this;
    }

    /** The write as an item of a transaction. */
    public TransactWriteItem transactItem() {
        return TransactWriteItem.builder()
                .update(Update.builder()
                        .tableName(table)
                        .key(CounterTable.key(counter))
                        .updateExpression(expression())
                        .conditionExpression(condition)
                        .expressionAttributeNames(names)
                        .expressionAttributeValues(values)
                        .build())
                .build();
    }

    /** The write as a request of its own. */
    public UpdateItemRequest.Builder request() {
        return UpdateItemRequest.builder()
                .tableName(table)
                .key(CounterTable.key(counter))
                .updateExpression(expression())
                .conditionExpression(condition)
                .expressionAttributeNames(names)
                .expressionAttributeValues(values);
    }

    private String expression() {
        return (adds.isEmpty() ? "" : "ADD " + String.join(", ", adds) + " ") + "SET " + String.join(", ", sets);
    }
}
