package dev.livecounter.connection.lifecycle;

import dev.livecounter.common.counters.CounterLifecycleSettings;
import dev.livecounter.common.counters.CounterPolicy;
import dev.livecounter.common.counters.CounterStore;
import dev.livecounter.common.dynamodb.TableSettings;
import dev.livecounter.connection.dynamodb.ConnectionTable;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Decides, before the first connect of a counter is written, whether that connect may create it
 * ({@link CounterLifecycleSettings#newPerMinute()}). A counter this instance has seen exist costs nothing; for any
 * other name the counters item is read once, and a name that is not a counter takes one from the minute's budget:
 * an item {@code names#<minute>} in the connections table whose {@code created} is added to only while below the
 * budget, so every connection-service instance draws on the same one. Called from the connect lane of the counter,
 * so one counter's first connects do not race each other for it.
 */
@Singleton
public class NewCounterBudget {

    private static final int KNOWN_MAX = 10_000;
    private static final String CREATED = "created";

    private final DynamoDbClient dynamoDb;
    private final TableSettings tables;
    private final CounterPolicy policy;
    private final CounterStore counters;
    private final int perMinute;
    /** Counters seen to exist, most recently used last; bounded, a name forgotten is only read again. */
    private final Set<String> known = Collections.synchronizedSet(Collections.newSetFromMap(
            new LinkedHashMap<String, Boolean>(256, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > KNOWN_MAX;
                }
            }));

    NewCounterBudget(DynamoDbClient dynamoDb, TableSettings tables, CounterPolicy policy, CounterStore counters,
            CounterLifecycleSettings settings) {
        this.counters = counters;
        this.dynamoDb = dynamoDb;
        this.tables = tables;
        this.policy = policy;
        this.perMinute = settings.newPerMinute();
    }

    /**
     * Lets the connects of a counter through, or refuses them before anything is written.
     *
     * @throws NewCounterRefused when the counter does not exist and this minute's new counters are used up
     */
    public void admit(String counter) {
        if (perMinute == 0 || policy.hasAllowList() || known.contains(counter)) {
            return;
        }
        if (counters.exists(counter) || take()) {
            known.add(counter);
            return;
        }
        throw new NewCounterRefused("too many new counters: at most " + perMinute
                + " may be created a minute; counters that exist are served");
    }

    /** One from this minute's budget, over all instances; false when it is used up. */
    private boolean take() {
        long minute = Instant.now().getEpochSecond() / 60;
        try {
            dynamoDb.updateItem(r -> r.tableName(tables.connections())
                    .key(ConnectionTable.key("names#" + minute))
                    .updateExpression("ADD #created :one SET #expiresAt = :expiresAt")
                    .conditionExpression("attribute_not_exists(#created) OR #created < :cap")
                    .expressionAttributeNames(Map.of("#created", CREATED, "#expiresAt", ConnectionTable.EXPIRES_AT))
                    .expressionAttributeValues(Map.of(
                            ":one", AttributeValue.fromN("1"),
                            ":cap", AttributeValue.fromN(Integer.toString(perMinute)),
                            // kept a little past its minute, then left to the TTL
                            ":expiresAt", AttributeValue.fromN(Long.toString((minute + 10) * 60)))));
            return true;
        } catch (ConditionalCheckFailedException usedUp) {
            return false;
        }
    }
}
