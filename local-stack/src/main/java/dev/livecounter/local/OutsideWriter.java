package dev.livecounter.local;

import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * Someone other than the services writing the local stack's counters table (an operator, another application):
 * a plain {@code UpdateItem}, straight to DynamoDB Local. No service hears of such a change; only the counters
 * stream brings it to the pages, so it is how tests and benchmarks watch the stream path alone.
 */
public final class OutsideWriter implements AutoCloseable {

    private final DynamoDbClient dynamoDb;
    private final String table;

    public OutsideWriter(LocalStack stack) {
        this.dynamoDb = stack.dynamoDbClient();
        this.table = stack.tableName("counters");
    }

    /**
     * Adds {@code delta} to a counter's value and 1 to its version, as any writer must so that pages take it.
     *
     * @return the counter's version after the write
     */
    public long addToValue(String counter, long delta) {
        Map<String, AttributeValue> after = dynamoDb.updateItem(r -> r.tableName(table)
                        .key(Map.of("name", AttributeValue.fromS(counter)))
                        .updateExpression("ADD #value :delta, #version :one")
                        .expressionAttributeNames(Map.of("#value", "value", "#version", "version"))
                        .expressionAttributeValues(Map.of(
                                ":delta", AttributeValue.fromN(Long.toString(delta)),
                                ":one", AttributeValue.fromN("1")))
                        .returnValues(ReturnValue.ALL_NEW))
                .attributes();
        return Long.parseLong(after.get("version").n());
    }

    @Override
    public void close() {
        dynamoDb.close();
    }
}
