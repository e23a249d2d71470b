package dev.livecounter.connection.dynamodb;

import com.amazonaws.services.dynamodbv2.local.embedded.DynamoDBEmbedded;
import dev.livecounter.common.counters.CounterLifecycleSettings;
import dev.livecounter.common.counters.CounterStore;
import dev.livecounter.common.counters.CounterTable;
import dev.livecounter.common.dynamodb.TableCreator;
import dev.livecounter.common.dynamodb.TableSettings;
import dev.livecounter.common.replicas.ReplicaTable;
import dev.livecounter.connection.history.HistoryTable;
import java.time.Duration;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * DynamoDB Local in this JVM (embedded: no port, no process), started once for all tests, and a fresh set of the
 * tables connection-service writes under a prefix of its own for each test, created by their owners' definitions.
 */
final class LocalTables {

    private static DynamoDbClient client;

    final DynamoDbClient dynamoDb;
    final TableSettings tables;
    final CounterStore counters;

    private LocalTables() {
        this.dynamoDb = client();
        this.tables = new TableSettings("t" + UUID.randomUUID().toString().substring(0, 8) + "-", true);
        TableCreator creator = new TableCreator(dynamoDb);
        creator.createIfMissing(CounterTable.definition(tables.counters()), CounterTable.EXPIRES_AT);
        creator.createIfMissing(ConnectionTable.definition(tables.connections()), ConnectionTable.EXPIRES_AT);
        creator.createIfMissing(HistoryTable.definition(tables.history()), HistoryTable.EXPIRES_AT);
        creator.createIfMissing(ReplicaTable.definition(tables.replicas()), ReplicaTable.EXPIRES_AT);
        this.counters = new CounterStore(dynamoDb, tables, new CounterLifecycleSettings(30, 3, Duration.ofDays(30)));
    }

    static LocalTables create() {
        return new LocalTables();
    }

    private static synchronized DynamoDbClient client() {
        if (client == null) {
            // its SHARD-ROLLOVER thread is not a daemon: surefire's fork ends with System.exit, so it holds nothing
            client = DynamoDBEmbedded.create(true).dynamoDbClient();
        }
        return client;
    }
}
