package dev.livecounter.counter.dynamodb;

import dev.livecounter.common.dynamodb.CounterItems;
import dev.livecounter.common.dynamodb.Schema;
import dev.livecounter.common.dynamodb.TableSettings;
import dev.livecounter.common.model.CounterSnapshot;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * What an operator does to a counter, the supported way (never a raw DeleteItem under open pages). A reset is a
 * change like any other: its version is newer, so every page shows it at once; {@code online} is left alone, as
 * the sockets it counts are still open. A delete is refused while pages are open, so no close can later find the
 * counter gone.
 */
@Singleton
public class CounterAdmin {

    private final DynamoDbClient dynamoDb;
    private final TableSettings tables;

    CounterAdmin(DynamoDbClient dynamoDb, TableSettings tables) {
        this.dynamoDb = dynamoDb;
        this.tables = tables;
    }

    /**
     * Sets the shared value (and, with {@code visits}, the visits) back to zero.
     *
     * @return the counter after the reset, or null when there is no such counter
     */
    public CounterSnapshot reset(String counter, boolean visits) {
        Map<String, AttributeValue> values = new HashMap<>(CounterItems.versionValues());
        values.put(":zero", AttributeValue.fromN("0"));
        values.put(":now", AttributeValue.fromS(Instant.now().toString()));
        Map<String, String> names = new HashMap<>(Map.of(
                "#name", Schema.NAME, "#value", Schema.VALUE, "#version", Schema.VERSION,
                "#updatedAt", Schema.UPDATED_AT));
        String set = "#value = :zero, #updatedAt = :now, " + CounterItems.BUMP_VERSION;
        if (visits) {
            names.put("#visits", Schema.VISITS);
            set += ", #visits = :zero";
        }
        String expression = "SET " + set;
        try {
            return CounterItems.toSnapshot(counter, dynamoDb.updateItem(r -> r.tableName(tables.counters())
                            .key(Map.of(Schema.NAME, AttributeValue.fromS(counter)))
                            .updateExpression(expression)
                            .conditionExpression("attribute_exists(#name)")
                            .expressionAttributeNames(names)
                            .expressionAttributeValues(values)
                            .returnValues(ReturnValue.ALL_NEW))
                    .attributes());
        } catch (ConditionalCheckFailedException missing) {
            return null;
        }
    }

    /** Deletes the counter when no page has it open; false when some do (or it did not exist). */
    public boolean delete(String counter) {
        try {
            dynamoDb.deleteItem(r -> r.tableName(tables.counters())
                    .key(Map.of(Schema.NAME, AttributeValue.fromS(counter)))
                    .conditionExpression("attribute_exists(#name) AND (attribute_not_exists(#online) OR #online <= :zero)")
                    .expressionAttributeNames(Map.of("#name", Schema.NAME, "#online", Schema.ONLINE))
                    .expressionAttributeValues(Map.of(":zero", AttributeValue.fromN("0"))));
            return true;
        } catch (ConditionalCheckFailedException openOrMissing) {
            return false;
        }
    }
}
