package dev.livecounter.counter.dynamodb;

import dev.livecounter.common.dynamodb.TableSettings;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The items that remember the press ids pages sent, so that a press the page sends again is applied once. They are
 * guests in the connections table (owned and created by connection-service; it makes every counter before a press
 * can reach it), under a {@code press#} prefix no connection id has: counter-service writes only the key and the
 * TTL attribute, whose names are the connections table's.
 */
@Singleton
record PressMarkers(TableSettings tables) {

    /** The connections table's partition key (see connection-service's ConnectionTable). */
    private static final String KEY = "connectionId";
    /** The connections table's TTL attribute. */
    private static final String EXPIRES_AT = "expiresAt";
    /** How long a press id is remembered: far beyond any retry of the page, short enough to cost little. */
    private static final Duration WINDOW = Duration.ofHours(1);

    /**
     * The marker of one press id in one life of the counter ({@code CounterTable.LIFE}), put only if none is there
     * (else the press was applied before, in this life: an id used before the counter was deleted and made again
     * counts in the new one).
     */
    TransactWriteItem marker(String counter, String life, String pressId, Instant now) {
        return TransactWriteItem.builder()
                .put(p -> p.tableName(tables.connections())
                        .item(Map.of(
                                KEY, AttributeValue.fromS("press#" + counter + "#" + life + "#" + pressId),
                                EXPIRES_AT, AttributeValue.fromN(Long.toString(now.plus(WINDOW).getEpochSecond()))))
                        .conditionExpression("attribute_not_exists(#id)")
                        .expressionAttributeNames(Map.of("#id", KEY)))
                .build();
    }
}
