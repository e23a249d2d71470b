package dev.livecounter.connection.history;

import static dev.livecounter.common.dynamodb.TableCreator.hashKey;
import static dev.livecounter.common.dynamodb.TableCreator.rangeKey;
import static dev.livecounter.common.dynamodb.TableCreator.string;

import dev.livecounter.common.dynamodb.OwnedTable;
import dev.livecounter.common.dynamodb.TableSettings;
import dev.livecounter.common.model.Resolution;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;

/**
 * The history table, owned by connection-service (this is the one place its attributes are named): visits per minute, hour and day of each counter, and the
 * markers that make a visitor count once per bucket.
 *
 * <ul>
 *   <li>a bucket: {@code series} = {@code <counter>#minute|hour|day}, {@code start} = its first instant
 *       ({@code 2026-11-30T10:04:00Z}, so the sort key orders by time); {@code visits}, {@code uniqueVisitors},
 *       {@code expiresAt} (minutes and hours; days are kept);</li>
 *   <li>a visitor marker: {@code series} = {@code visitor#<counter>#<day>#<visitorId>}, {@code start} = the day;
 *       {@code minute} and {@code hour}: the buckets it was last counted in; gone a day after its day.</li>
 * </ul>
 */
public final class HistoryTable {

    private HistoryTable() {}

    /** Partition key. */
    public static final String SERIES = "series";
    /** Sort key: ISO-8601 instant of the bucket's start (or the marker's day). */
    public static final String START = "start";

    public static final String VISITS = "visits";
    public static final String UNIQUE_VISITORS = "uniqueVisitors";
    /** Visitor marker: start of the minute bucket the visitor was last counted in. */
    public static final String MINUTE = "minute";
    /** Visitor marker: start of the hour bucket the visitor was last counted in. */
    public static final String HOUR = "hour";
    /** TTL attribute (epoch seconds) of minute and hour buckets and of visitor markers. */
    public static final String EXPIRES_AT = "expiresAt";

    /** The partition of one counter's buckets of one resolution. */
    public static String series(String counter, Resolution resolution) {
        return counter + "#" + resolution.id();
    }

    /** The sort key of the bucket starting at {@code start}. */
    public static String start(Instant start) {
        return start.toString();
    }

    /** The key of the bucket of {@code counter} at {@code resolution} whose sort key is {@code start}. */
    public static Map<String, AttributeValue> key(String counter, Resolution resolution, String start) {
        return Map.of(SERIES, AttributeValue.fromS(series(counter, resolution)), START, AttributeValue.fromS(start));
    }

    /** The partition of one visitor's marker for one counter and UTC day: spread, never a hot key. */
    public static String visitorSeries(String counter, LocalDate day, String visitorId) {
        return "visitor#" + counter + "#" + day + "#" + visitorId;
    }

    /** The table as it is created: key {@code series}, sort key {@code start}. */
    public static CreateTableRequest.Builder definition(String tableName) {
        return CreateTableRequest.builder()
                .tableName(tableName)
                .keySchema(hashKey(SERIES), rangeKey(START))
                .attributeDefinitions(string(SERIES), string(START));
    }

    /** The table as its owner declares it to the provisioner: its definition, with TTL on {@link #EXPIRES_AT}. */
    public static OwnedTable owned(TableSettings tables) {
        return new OwnedTable(definition(tables.history()), EXPIRES_AT);
    }
}
