package dev.livecounter.common.counters;

import static dev.livecounter.common.dynamodb.TableCreator.hashKey;
import static dev.livecounter.common.dynamodb.TableCreator.string;

import dev.livecounter.common.dynamodb.OwnedTable;
import dev.livecounter.common.dynamodb.TableSettings;
import dev.livecounter.common.model.CounterSnapshot;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

/**
 * The counters table, the one place its attributes are named and an item is read into a {@link CounterSnapshot}. It
 * is written by two services (connection-service: online, visits, uniques; counter-service: value) and read by all
 * three (the broadcasters through its stream), so it is owned here, in common, and every write goes through
 * {@link CounterUpdate}.
 *
 * <p>To add an attribute: name it here and read it in {@link #snapshot(String, Map)}, give {@link CounterSnapshot} its
 * field (the count frame and the read API are the snapshot's JSON), and write it with {@link CounterUpdate} where the
 * service that changes it writes the counter.
 */
public final class CounterTable {

    private CounterTable() {}

    /** Partition key: the counter's name. */
    public static final String NAME = "name";

    public static final String VISITS = "visits";
    /**
     * The visits operator resets took off {@link #VISITS} (not on the wire): the history's day buckets keep what
     * happened, so they add up to {@code visits + visitsBeforeReset} over the counter's item.
     */
    public static final String VISITS_BEFORE_RESET = "visitsBeforeReset";
    public static final String ONLINE = "online";
    public static final String VALUE = "value";
    /** Bumped by every write ({@link CounterUpdate}): pages and broadcasters drop anything not newer. */
    public static final String VERSION = "version";
    public static final String UPDATED_AT = "updatedAt";
    /**
     * The life stamp: set by the write that creates the item ({@code if_not_exists}, {@link CounterUpdate}) to the
     * version it starts at, so a counter deleted and made again is a new life, whatever its name. What is
     * remembered per life (counter-service's press ids) carries it. Not on the wire.
     */
    public static final String LIFE = "life";
    /** The UTC day ({@code 2026-11-30}) {@link #UNIQUE_TODAY} counts; a count of another day reads as 0. */
    public static final String UNIQUE_DAY = "uniqueDay";
    /** Visitors counted on {@link #UNIQUE_DAY}, each once. */
    public static final String UNIQUE_TODAY = "uniqueToday";
    /** TTL (epoch seconds): a counter nobody writes for a while goes ({@link CounterLifecycleSettings}). */
    public static final String EXPIRES_AT = "expiresAt";

    /** The key of a counter's item. */
    public static Map<String, AttributeValue> key(String counter) {
        return Map.of(NAME, AttributeValue.fromS(counter));
    }

    /** The table as it is created: key {@code name}, stream of new and old images (the broadcasters read it). */
    public static CreateTableRequest.Builder definition(String tableName) {
        return CreateTableRequest.builder()
                .tableName(tableName)
                .keySchema(hashKey(NAME))
                .attributeDefinitions(string(NAME))
                .streamSpecification(StreamSpecification.builder()
                        .streamEnabled(true)
                        .streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)
                        .build());
    }

    /** The table as its owner declares it to the provisioner: its definition, with TTL on {@link #EXPIRES_AT}. */
    public static OwnedTable owned(TableSettings tables) {
        return new OwnedTable(definition(tables.counters()), EXPIRES_AT);
    }

    /** A counters item (from GetItem, UpdateItem or a stream image) as a snapshot of {@code counter}. */
    public static CounterSnapshot snapshot(String counter, Map<String, AttributeValue> item) {
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

    /** A counters item as a snapshot of the counter it names. */
    public static CounterSnapshot snapshot(Map<String, AttributeValue> item) {
        AttributeValue name = item.get(NAME);
        return snapshot(name == null ? null : name.s(), item);
    }

    /** The visitors counted today (UTC); a count kept for an earlier day is yesterday's news: 0. */
    private static long uniqueToday(Map<String, AttributeValue> item) {
        AttributeValue day = item.get(UNIQUE_DAY);
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        return day != null && today.equals(day.s()) ? number(item, UNIQUE_TODAY) : 0;
    }

    private static long number(Map<String, AttributeValue> item, String attribute) {
        AttributeValue value = item.get(attribute);
        return value == null || value.n() == null ? 0 : Long.parseLong(value.n());
    }
}
