package dev.livecounter.connection.history;

import static dev.livecounter.connection.history.HistoryTable.HOUR;
import static dev.livecounter.connection.history.HistoryTable.MINUTE;
import static dev.livecounter.connection.history.HistoryTable.SERIES;
import static dev.livecounter.connection.history.HistoryTable.START;

import dev.livecounter.common.dynamodb.TableSettings;
import dev.livecounter.common.dynamodb.Transactions;
import dev.livecounter.common.model.Resolution;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntPredicate;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Counts a visitor once per counter per UTC day and once per bucket. Each new visit of a visitor writes its
 * marker for the day, in the visit's own transaction, under a condition on what the marker was: absent (a new
 * visitor today: +1 in every bucket and in the counter's {@code uniqueToday}), or last counted in an earlier minute
 * ({@code +1} in that minute, and in the hour when that changed too). A visit in a minute the visitor was already
 * counted in writes no marker. A failed condition means another visit of the visitor got there first: the marker
 * is read and the visit's part decided again, so no visitor is counted twice in a bucket.
 */
@Singleton
public class UniqueVisitors {

    private final DynamoDbClient dynamoDb;
    private final TableSettings tables;
    /** The day each counter's {@code uniqueToday} was last seen counting: the first guess of the next batch. */
    private final Map<String, String> counterDays = new ConcurrentHashMap<>();

    public UniqueVisitors(DynamoDbClient dynamoDb, TableSettings tables) {
        this.dynamoDb = dynamoDb;
        this.tables = tables;
    }

    /** The visitor side of one connect transaction: {@code visitorIds} by call, null where a client sent none. */
    public Batch begin(String counter, List<String> visitorIds, Instant now) {
        return new Batch(counter, visitorIds, now);
    }

    /** What the markers of one batch's visitors were, as far as this batch knows. */
    public final class Batch {
        private final String counter;
        private final List<String> visitorIds;
        private final LocalDate day;
        private final String minute;
        private final String hour;
        /** per call: the marker's last minute and hour, or null: believed absent */
        private final String[][] seen;
        private boolean counterSameDay;

        private Batch(String counter, List<String> visitorIds, Instant now) {
            this.counter = counter;
            this.visitorIds = visitorIds;
            this.day = LocalDate.ofInstant(now, ZoneOffset.UTC);
            this.minute = HistoryTable.start(Resolution.MINUTE.truncate(now));
            this.hour = HistoryTable.start(Resolution.HOUR.truncate(now));
            this.seen = new String[visitorIds.size()][];
            this.counterSameDay = day.toString().equals(counterDays.get(counter));
        }

        /** The UTC day this batch counts in, as the counter's {@code uniqueDay} holds it. */
        public String day() {
            return day.toString();
        }

        /** Whether the counter's {@code uniqueToday} is believed to count this day already (add to it) or not (set it). */
        public boolean counterSameDay() {
            return counterSameDay;
        }

        /** The counter's condition on its day failed: it was the other way round. */
        public void counterDayWrong() {
            counterSameDay = !counterSameDay;
        }

        /** The transaction went through: remember the counter's day for the next batch. */
        public void committed(boolean countedUniques) {
            if (countedUniques) {
                counterDays.put(counter, day.toString());
            }
        }

        /** The marker write of call {@code i}'s new visit, or null when it counts the visitor in no bucket. */
        public TransactWriteItem mark(int i) {
            if (!counts(i)) {
                return null;
            }
            String visitor = visitorIds.get(i);
            Map<String, AttributeValue> key = key(visitor);
            if (seen[i] == null) {
                Map<String, AttributeValue> item = new HashMap<>(key);
                item.put(MINUTE, AttributeValue.fromS(minute));
                item.put(HOUR, AttributeValue.fromS(hour));
                item.put(HistoryTable.EXPIRES_AT, HistoryItems.number(
                        day.plusDays(2).atStartOfDay(ZoneOffset.UTC).toEpochSecond()));
                return Transactions.putNew(tables.history(), item, SERIES);
            }
            return TransactWriteItem.builder()
                    .update(u -> u.tableName(tables.history())
                            .key(key)
                            .updateExpression("SET #minute = :minute, #hour = :hour")
                            .conditionExpression("#minute = :seen")
                            .expressionAttributeNames(Map.of("#minute", MINUTE, "#hour", HOUR))
                            .expressionAttributeValues(Map.of(
                                    ":minute", AttributeValue.fromS(minute),
                                    ":hour", AttributeValue.fromS(hour),
                                    ":seen", AttributeValue.fromS(seen[i][0]))))
                    .build();
        }

        /** Whether call {@code i}'s new visit counts its visitor in some bucket (it has one, not yet this minute). */
        private boolean counts(int i) {
            return visitorIds.get(i) != null && (seen[i] == null || seen[i][0].compareTo(minute) < 0);
        }

        /** Call {@code i}'s marker was not what this batch believed: read it (strongly consistent). */
        public void markFailed(int i) {
            Map<String, AttributeValue> item = dynamoDb.getItem(r -> r.tableName(tables.history())
                            .key(key(visitorIds.get(i)))
                            .consistentRead(true))
                    .item();
            seen[i] = item == null || item.isEmpty()
                    ? null
                    : new String[] {item.get(MINUTE).s(), item.get(HOUR).s()};
        }

        /** Visitors new to each bucket among the calls {@code included} whose marker is written, by resolution. */
        public long[] uniques(IntPredicate included) {
            long[] uniques = new long[Resolution.values().length];
            for (int i = 0; i < visitorIds.size(); i++) {
                if (!included.test(i) || !counts(i)) {
                    continue;
                }
                uniques[Resolution.MINUTE.ordinal()]++;
                if (seen[i] == null || seen[i][1].compareTo(hour) < 0) {
                    uniques[Resolution.HOUR.ordinal()]++;
                }
                if (seen[i] == null) {
                    uniques[Resolution.DAY.ordinal()]++;
                }
            }
            return uniques;
        }

        private Map<String, AttributeValue> key(String visitor) {
            return Map.of(
                    SERIES, AttributeValue.fromS(HistoryTable.visitorSeries(counter, day, visitor)),
                    START, AttributeValue.fromS(day.toString()));
        }
    }

}
