package dev.livecounter.connection.dynamodb;

import static dev.livecounter.common.dynamodb.TableCreator.hashKey;
import static dev.livecounter.common.dynamodb.TableCreator.rangeKey;
import static dev.livecounter.common.dynamodb.TableCreator.string;

import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;

/**
 * The connections table, owned by connection-service: the one place its attributes are named. It holds live
 * connections, the tombstones closed ones leave, visit markers ({@link #visitKey}) and the per-minute budget of new
 * counters; counter-service keeps its press-id markers in it as a guest ({@code press#} keys, see its
 * {@code PressMarkers}), writing only the key and {@link #EXPIRES_AT}.
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
