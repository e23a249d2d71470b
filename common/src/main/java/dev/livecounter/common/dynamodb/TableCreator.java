package dev.livecounter.common.dynamodb;

import jakarta.inject.Singleton;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/**
 * Creates a table that is missing, idempotently: the owner of each table describes it, and this makes it exist.
 * Several services (or replicas) may start at once and race for the same table: whichever comes first creates it,
 * the others find it or wait for it. Used only when {@code livecounter.tables.create} is on (DynamoDB Local, dev
 * clusters); in production the tables are made by infrastructure code.
 */
@Singleton
public final class TableCreator {

    private static final Logger LOG = LoggerFactory.getLogger(TableCreator.class);

    /** Creating a table on a busy DynamoDB Local takes longer than a data call may. */
    private static final AwsRequestOverrideConfiguration SLOW = AwsRequestOverrideConfiguration.builder()
            .apiCallTimeout(Duration.ofSeconds(60))
            .apiCallAttemptTimeout(Duration.ofSeconds(30))
            .build();

    private final DynamoDbClient dynamoDb;

    public TableCreator(DynamoDbClient dynamoDb) {
        this.dynamoDb = dynamoDb;
    }

    /**
     * Creates the table (on demand billing) unless it exists, waits until it is active, and turns on its TTL.
     *
     * @param ttlAttribute the attribute DynamoDB's TTL deletes items by
     */
    public void createIfMissing(CreateTableRequest.Builder request, String ttlAttribute) {
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
        enableTimeToLive(name, ttlAttribute);
    }

    private void enableTimeToLive(String table, String attribute) {
        TimeToLiveStatus status = dynamoDb.describeTimeToLive(r -> r.tableName(table).overrideConfiguration(SLOW))
                .timeToLiveDescription()
                .timeToLiveStatus();
        if (status == TimeToLiveStatus.ENABLED || status == TimeToLiveStatus.ENABLING) {
            return;
        }
        try {
            dynamoDb.updateTimeToLive(r -> r.tableName(table)
                    .overrideConfiguration(SLOW)
                    .timeToLiveSpecification(t -> t.enabled(true).attributeName(attribute)));
        } catch (DynamoDbException e) {
            // another service enabled it between our read and our write
            LOG.debug("TTL on {}: {}", table, e.getMessage());
        }
    }

    /** The partition key element of a key schema. */
    public static KeySchemaElement hashKey(String attribute) {
        return KeySchemaElement.builder().attributeName(attribute).keyType(KeyType.HASH).build();
    }

    /** The sort key element of a key schema. */
    public static KeySchemaElement rangeKey(String attribute) {
        return KeySchemaElement.builder().attributeName(attribute).keyType(KeyType.RANGE).build();
    }

    /** A string attribute of a key schema. */
    public static AttributeDefinition string(String attribute) {
        return AttributeDefinition.builder()
                .attributeName(attribute)
                .attributeType(ScalarAttributeType.S)
                .build();
    }
}
