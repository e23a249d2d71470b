package dev.livecounter.system;

import dev.livecounter.local.LocalStack;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** A raw DynamoDB client on the system's tables, for what only the database (or an operator) does. */
final class RawDynamoDb implements AutoCloseable {

    /** The connections table's key and TTL attribute (common's Schema; system-tests only talks to services). */
    private static final String CONNECTION_ID = "connectionId";
    private static final String EXPIRES_AT = "expiresAt";

    private final LocalStack stack;
    private final DynamoDbClient client;

    RawDynamoDb(LocalStack stack) {
        this.stack = stack;
        this.client = stack.dynamoDbClient();
    }

    DynamoDbClient client() {
        return client;
    }

    String table(String name) {
        return stack.tableName(name);
    }

    /**
     * What DynamoDB's TTL process does (DynamoDB Local does not run it): deletes the connections-table items whose
     * {@code expiresAt} has passed.
     *
     * @return how many were deleted
     */
    int expireConnectionsPastTheirTtl() {
        long now = Instant.now().getEpochSecond();
        int deleted = 0;
        for (Map<String, AttributeValue> item : client.scanPaginator(r -> r.tableName(table("connections"))).items()) {
            AttributeValue expiresAt = item.get(EXPIRES_AT);
            if (expiresAt != null && Long.parseLong(expiresAt.n()) < now) {
                client.deleteItem(r -> r.tableName(table("connections"))
                        .key(Map.of(CONNECTION_ID, item.get(CONNECTION_ID))));
                deleted++;
            }
        }
        return deleted;
    }

    /** Whether the counters item of this name is there. */
    boolean counterExists(String name) {
        Map<String, AttributeValue> item = client.getItem(r -> r.tableName(table("counters"))
                .key(Map.of("name", AttributeValue.fromS(name))).consistentRead(true)).item();
        return item != null && !item.isEmpty();
    }

    /**
     * What DynamoDB's TTL process does to one counter: deletes it when its {@code expiresAt} has passed.
     *
     * @return whether it was deleted
     */
    boolean expireCounterIfPastItsTtl(String counter) {
        Map<String, AttributeValue> key = Map.of("name", AttributeValue.fromS(counter));
        Map<String, AttributeValue> item = client.getItem(r -> r.tableName(table("counters")).key(key).consistentRead(true))
                .item();
        AttributeValue expiresAt = item == null ? null : item.get(EXPIRES_AT);
        if (expiresAt == null || Long.parseLong(expiresAt.n()) >= Instant.now().getEpochSecond()) {
            return false;
        }
        client.deleteItem(r -> r.tableName(table("counters")).key(key));
        return true;
    }

    @Override
    public void close() {
        client.close();
    }
}
