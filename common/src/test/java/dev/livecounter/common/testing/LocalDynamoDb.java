package dev.livecounter.common.testing;

import com.amazonaws.services.dynamodbv2.local.embedded.DynamoDBEmbedded;
import dev.livecounter.common.dynamodb.OwnedTable;
import dev.livecounter.common.dynamodb.TableCreator;
import dev.livecounter.common.dynamodb.TableProvisioner;
import dev.livecounter.common.dynamodb.TableSettings;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * DynamoDB Local in this JVM (embedded: no port, no process), started once per test run, and a fresh set of tables
 * under a prefix of their own for each fixture, made the way the services make them: from their owners'
 * declarations ({@link OwnedTable}), by the {@link TableProvisioner}.
 */
public final class LocalDynamoDb {

    private static DynamoDbClient client;

    /** The client of the one DynamoDB Local. */
    public final DynamoDbClient dynamoDb = client();
    /** A prefix of this fixture's own: no test sees another's items. */
    public final TableSettings tables = new TableSettings("t" + UUID.randomUUID().toString().substring(0, 8) + "-", true);

    /** @param owned the tables, as their owners declare them (e.g. {@code t -> List.of(CounterTable.owned(t))}) */
    public LocalDynamoDb(Function<TableSettings, List<OwnedTable>> owned) {
        new TableProvisioner(new TableCreator(dynamoDb), owned.apply(tables)).createAll();
    }

    private static synchronized DynamoDbClient client() {
        if (client == null) {
            // its SHARD-ROLLOVER thread is not a daemon: surefire's fork ends with System.exit, so it holds nothing
            client = DynamoDBEmbedded.create(true).dynamoDbClient();
        }
        return client;
    }
}
