package dev.livecounter.counter.presses;

import static dev.livecounter.common.dynamodb.TableCreator.hashKey;
import static dev.livecounter.common.dynamodb.TableCreator.string;

import dev.livecounter.common.dynamodb.OwnedTable;
import dev.livecounter.common.dynamodb.TableSettings;
import dev.livecounter.common.dynamodb.Transactions;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The presses table, owned by counter-service alone (the one place its attributes are named): a marker per press id
 * a page sent, so that a press the page sends again is applied once. One kind of item: key {@link #PRESS}
 * ({@code <counter>#<life>#<press id>}), {@link #EXPIRES_AT}. Its own table because the marker is written in the
 * press's own transaction with the counter's {@code ADD}: a transaction can span tables, not services, so the table
 * must be the press writer's.
 */
public final class PressTable {

    private PressTable() {}

    /** Partition key: the press id in one life of its counter. */
    public static final String PRESS = "press";
    /** TTL attribute (epoch seconds). */
    public static final String EXPIRES_AT = "expiresAt";
    /** How long a press id is remembered: far beyond any retry of the page, short enough to cost little. */
    public static final Duration WINDOW = Duration.ofHours(1);

    /** The key of the marker of press {@code pressId} in life {@code life} of {@code counter}. */
    public static Map<String, AttributeValue> key(String counter, String life, String pressId) {
        return Map.of(PRESS, AttributeValue.fromS(counter + "#" + life + "#" + pressId));
    }

    /**
     * The marker of one press id in one life of the counter ({@code CounterTable.LIFE}), put only if none is there
     * (else the press was applied before, in this life: an id used before the counter was deleted and made again
     * counts in the new one).
     */
    static TransactWriteItem marker(String table, String counter, String life, String pressId, Instant now) {
        Map<String, AttributeValue> item = new HashMap<>(key(counter, life, pressId));
        item.put(EXPIRES_AT, AttributeValue.fromN(Long.toString(now.plus(WINDOW).getEpochSecond())));
        return Transactions.putNew(table, item, PRESS);
    }

    /** The table as it is created: key {@code press}. */
    public static CreateTableRequest.Builder definition(String tableName) {
        return CreateTableRequest.builder()
                .tableName(tableName)
                .keySchema(hashKey(PRESS))
                .attributeDefinitions(string(PRESS));
    }

    /** The table as its owner declares it to the provisioner: its definition, with TTL on {@link #EXPIRES_AT}. */
    public static OwnedTable owned(TableSettings tables) {
        return new OwnedTable(definition(tables.presses()), EXPIRES_AT);
    }
}
