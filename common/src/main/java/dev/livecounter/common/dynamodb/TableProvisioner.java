package dev.livecounter.common.dynamodb;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/**
 * Creates the application's tables when {@code livecounter.tables.create} is on (DynamoDB Local, dev clusters).
 * Every service runs it; whichever comes first creates a table, the others find it or wait for it.
 * In production the tables are made by infrastructure code and this stays off.
 */
@Singleton
@Requires(property = "livecounter.tables.create", value = "true")
public class TableProvisioner {

    private static final Logger LOG = LoggerFactory.getLogger(TableProvisioner.class);

    /** Creating a table on a busy DynamoDB Local takes longer than a data call may. */
    private static final AwsRequestOverrideConfiguration SLOW = AwsRequestOverrideConfiguration.builder()
            .apiCallTimeout(Duration.ofSeconds(60))
            .apiCallAttemptTimeout(Duration.ofSeconds(30))
            .build();

    private final DynamoDbClient dynamoDb;
    private final TableSettings tables;

    public TableProvisioner(DynamoDbClient dynamoDb, TableSettings tables) {
        this.dynamoDb = dynamoDb;
        this.tables = tables;
    }

    @EventListener
    void onStartup(StartupEvent event) {
        createIfMissing(CreateTableRequest.builder()
                .tableName(tables.counters())
                .keySchema(hashKey(Schema.NAME))
                .attributeDefinitions(string(Schema.NAME))
                .streamSpecification(StreamSpecification.builder()
                        .streamEnabled(true)
                        .streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)
                        .build()));
        createIfMissing(CreateTableRequest.builder()
                .tableName(tables.connections())
                .keySchema(hashKey(Schema.CONNECTION_ID))
                .attributeDefinitions(string(Schema.CONNECTION_ID), string(Schema.REPLICA_ID))
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder()
                        .indexName(Schema.BY_REPLICA_INDEX)
                        .keySchema(hashKey(Schema.REPLICA_ID), KeySchemaElement.builder()
                                .attributeName(Schema.CONNECTION_ID)
                                .keyType(KeyType.RANGE)
                                .build())
                        .projection(Projection.builder()
                                .projectionType(ProjectionType.INCLUDE)
                                .nonKeyAttributes(Schema.COUNTER)
                                .build())
                        .build()));
        createIfMissing(CreateTableRequest.builder()
                .tableName(tables.replicas())
                .keySchema(hashKey(Schema.REPLICA_ID))
                .attributeDefinitions(string(Schema.REPLICA_ID)));
        createIfMissing(CreateTableRequest.builder()
                .tableName(tables.history())
                .keySchema(hashKey(HistorySchema.SERIES), KeySchemaElement.builder()
                        .attributeName(HistorySchema.START)
                        .keyType(KeyType.RANGE)
                        .build())
                .attributeDefinitions(string(HistorySchema.SERIES), string(HistorySchema.START)));
        // counters too: a counter not written for a while (CounterLifecycleSettings) is deleted
        for (String table : List.of(tables.counters(), tables.connections(), tables.replicas(), tables.history())) {
            enableTimeToLive(table);
        }
    }

    private void enableTimeToLive(String table) {
        TimeToLiveStatus status = dynamoDb.describeTimeToLive(r -> r.tableName(table).overrideConfiguration(SLOW))
                .timeToLiveDescription()
                .timeToLiveStatus();
        if (status == TimeToLiveStatus.ENABLED || status == TimeToLiveStatus.ENABLING) {
            return;
        }
        try {
            dynamoDb.updateTimeToLive(r -> r.tableName(table)
                    .overrideConfiguration(SLOW)
                    .timeToLiveSpecification(t -> t.enabled(true).attributeName(Schema.EXPIRES_AT)));
        } catch (DynamoDbException e) {
            // another service enabled it between our read and our write
            LOG.debug("TTL on {}: {}", table, e.getMessage());
        }
    }

    private void createIfMissing(CreateTableRequest.Builder request) {
        CreateTableRequest create = request.billingMode(BillingMode.PAY_PER_REQUEST).overrideConfiguration(SLOW).build();
        String name = create.tableName();
        try {
            dynamoDb.describeTable(r -> r.tableName(name).overrideConfiguration(SLOW));
        } catch (ResourceNotFoundException missing) {
            try {
                dynamoDb.createTable(create);
                LOG.info("Created table {}", name);
            } catch (ResourceInUseException createdMeanwhile) {
                LOG.debug("Table {} was created by another service meanwhile", name);
            }
        }
        dynamoDb.waiter().waitUntilTableExists(r -> r.tableName(name).overrideConfiguration(SLOW));
    }

    private static KeySchemaElement hashKey(String attribute) {
        return KeySchemaElement.builder().attributeName(attribute).keyType(KeyType.HASH).build();
    }

    private static AttributeDefinition string(String attribute) {
        return AttributeDefinition.builder()
                .attributeName(attribute)
                .attributeType(ScalarAttributeType.S)
                .build();
    }
}
