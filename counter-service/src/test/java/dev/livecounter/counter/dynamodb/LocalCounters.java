package dev.livecounter.counter.dynamodb;

import com.amazonaws.services.dynamodbv2.local.embedded.DynamoDBEmbedded;
import dev.livecounter.common.counters.CounterLifecycleSettings;
import dev.livecounter.common.counters.CounterStore;
import dev.livecounter.common.counters.CounterTable;
import dev.livecounter.common.dynamodb.TableCreator;
import dev.livecounter.common.dynamodb.TableSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * DynamoDB Local in this JVM (embedded: no port, no process), started once, with fresh tables per test: counters by
 * its owner's definition, and a table keyed like connection-service's connections table for the press markers.
 */
final class LocalCounters {

    private static DynamoDbClient client;

    final DynamoDbClient dynamoDb = client();
    final TableSettings tables = new TableSettings("t" + UUID.randomUUID().toString().substring(0, 8) + "-", true);
    final CounterStore counters = new CounterStore(dynamoDb, tables, new CounterLifecycleSettings(30, 3, Duration.ofDays(30)));
    final CounterRepository repository;

    LocalCounters() {
        TableCreator creator = new TableCreator(dynamoDb);
        creator.createIfMissing(CounterTable.definition(tables.counters()), CounterTable.EXPIRES_AT);
        creator.createIfMissing(CreateTableRequest.builder()
                .tableName(tables.connections())
                .keySchema(KeySchemaElement.builder().attributeName("connectionId").keyType(KeyType.HASH).build())
                .attributeDefinitions(AttributeDefinition.builder()
                        .attributeName("connectionId").attributeType(ScalarAttributeType.S).build()), "expiresAt");
        repository = new CounterRepository(dynamoDb, counters, new PressMarkers(tables), new CounterLives(counters));
    }

    /** Makes the counter exist, as a page's first connect does. */
    void create(String counter) {
        dynamoDb.updateItem(counters.update(counter, Instant.now()).add(CounterTable.ONLINE, 1).request().build());
    }

    private static synchronized DynamoDbClient client() {
        if (client == null) {
            // its SHARD-ROLLOVER thread is not a daemon: surefire's fork ends with System.exit, so it holds nothing
            client = DynamoDBEmbedded.create(true).dynamoDbClient();
        }
        return client;
    }
}
