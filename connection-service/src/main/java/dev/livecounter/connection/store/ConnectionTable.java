package dev.livecounter.connection.store;

import static dev.livecounter.common.dynamodb.TableCreator.hashKey;
import static dev.livecounter.common.dynamodb.TableCreator.rangeKey;
import static dev.livecounter.common.dynamodb.TableCreator.string;

import dev.livecounter.common.dynamodb.OwnedTable;
import dev.livecounter.common.dynamodb.TableSettings;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;

/**
 * The connections table, owned by connection-service alone: the one place its attributes and item kinds are named.
 * It holds four kinds of item: live connections, the tombstones closed ones leave ({@link ConnectionItems}), visit
 * markers ({@link #visitKey}, {@link ConnectionItems}) and the per-minute budget of new counters
 * ({@link #budgetKey}, written by {@code lifecycle/NewCounterBudget}). Press markers are counter-service's, in a
 * table of its own.
 */
public final class ConnectionTable {

    private ConnectionTable() {}

    /** Partition key: a socket's connection id (a UUID), or a marker's key under a prefix no UUID has. */
    public static final String CONNECTION_ID = "connectionId";

    public static final String COUNTER = "counter";
    /** Set on live connections only (never on tombstones or markers): what {@link #BY_REPLICA_INDEX} lists. */
    public static final String REPLICA_ID = "replicaId";
    public static final String VISIT_ID = "visitId";
    public static final String CONNECTED_AT = "connectedAt";
    /** Set on the tombstone a closed connection leaves behind. */
    public static final String CLOSED_AT = "closedAt";
    /** TTL attribute (epoch seconds) of connections, tombstones and markers: a backstop, not the mechanism. */
    public static final String EXPIRES_AT = "expiresAt";
    /** A budget item's count of counters created in its minute (by the whole install, or one address). */
    public static final String CREATED = "created";

    /** Sparse index of real connections by replica (visit markers and tombstones carry no replicaId). */
    public static final String BY_REPLICA_INDEX = "byReplica";

    /** The key of a connection's (or a marker's) item. */
    public static Map<String, AttributeValue> key(String connectionId) {
        return Map.of(CONNECTION_ID, AttributeValue.fromS(connectionId));
    }

    /** Key of the item that remembers a visit id for the visit window. */
    public static String visitKey(String counter, String visitId) {
        return "visit#" + counter + "#" + visitId;
    }

    /**
     * Key of the item that counts the counters created in one minute, by the whole install ({@code source} null)
     * or by one client address (its key).
     */
    public static String budgetKey(long minute, String source) {
        return source == null ? "names#" + minute : "names#" + minute + "#" + source;
    }

    /** The table as its owner declares it to the provisioner: its definition, with TTL on {@link #EXPIRES_AT}. */
    public static OwnedTable owned(TableSettings tables) {
        return new OwnedTable(definition(tables.connections()), EXPIRES_AT);
    }

    /** The table as it is created: key {@code connectionId}; index {@code byReplica} (replicaId, connectionId). */
    public static CreateTableRequest.Builder definition(String tableName) {
        return CreateTableRequest.builder()
                .tableName(tableName)
                .keySchema(hashKey(CONNECTION_ID))
                .attributeDefinitions(string(CONNECTION_ID), string(REPLICA_ID))
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder()
                        .indexName(BY_REPLICA_INDEX)
                        .keySchema(hashKey(REPLICA_ID), rangeKey(CONNECTION_ID))
                        .projection(Projection.builder()
                                .projectionType(ProjectionType.INCLUDE)
                                .nonKeyAttributes(COUNTER)
                                .build())
                        .build());
    }
}
