package dev.livecounter.broadcaster.tables;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

/**
 * The demo table of a dev install ({@code StreamedTable.example}): orders by customer, the way an application would
 * keep them, with a stream of new and old images, and a few orders to look at. Never used against a real table.
 */
final class ExampleOrders {

    private ExampleOrders() {}

    static void createIfMissing(DynamoDbClient dynamoDb, String table) {
        try {
            dynamoDb.describeTable(r -> r.tableName(table));
            return;
        } catch (ResourceNotFoundException missing) {
            // made below
        }
        try {
            dynamoDb.createTable(r -> r.tableName(table)
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(
                            a -> a.attributeName("customer").attributeType(ScalarAttributeType.S),
                            a -> a.attributeName("orderId").attributeType(ScalarAttributeType.S))
                    .keySchema(
                            k -> k.attributeName("customer").keyType(KeyType.HASH),
                            k -> k.attributeName("orderId").keyType(KeyType.RANGE))
                    .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)));
        } catch (ResourceInUseException createdByAnotherReplica) {
            return;
        }
        dynamoDb.waiter().waitUntilTableExists(r -> r.tableName(table));
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        put(dynamoDb, table, "ada", "2026-0001", "Analytical engine", "shipped", "1843", now);
        put(dynamoDb, table, "ada", "2026-0002", "Punched cards", "packing", "12.50", now);
        put(dynamoDb, table, "grace", "2026-0003", "Compiler manual", "placed", "39.90", now);
        put(dynamoDb, table, "grace", "2026-0004", "Moth (framed)", "delivered", "5", now);
        put(dynamoDb, table, "linus", "2026-0005", "Penguin plush", "placed", "19.99", now);
        LoggerFactory.getLogger(ExampleOrders.class).info("Created the example table {} with 5 orders", table);
    }

    private static void put(DynamoDbClient dynamoDb, String table, String customer, String orderId, String item,
            String status, String total, String updatedAt) {
        dynamoDb.putItem(r -> r.tableName(table).item(Map.of(
                "customer", AttributeValue.fromS(customer),
                "orderId", AttributeValue.fromS(orderId),
                "item", AttributeValue.fromS(item),
                "status", AttributeValue.fromS(status),
                "total", AttributeValue.fromN(total),
                "updatedAt", AttributeValue.fromS(updatedAt),
                // never in the allow-list: a subscriber can neither see it nor filter on it
                "card", AttributeValue.fromS("**** " + (1000 + Math.floorMod(orderId.hashCode(), 9000))))));
    }
}
