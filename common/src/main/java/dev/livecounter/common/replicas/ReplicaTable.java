package dev.livecounter.common.replicas;

import static dev.livecounter.common.dynamodb.TableCreator.hashKey;
import static dev.livecounter.common.dynamodb.TableCreator.string;

import dev.livecounter.common.dynamodb.OwnedTable;
import dev.livecounter.common.dynamodb.TableSettings;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;

/**
 * The replicas table: one item per live broadcaster replica. Written by the broadcasters (heartbeats) and by
 * connection-service (its reaper marks and removes dead ones; connects and changes are posted to the addresses), so
 * owned here, in common: the one place its attributes are named and its table is described. Every read and write
 * goes through {@link ReplicaItems}.
 */
public final class ReplicaTable {

    private ReplicaTable() {}

    /** Partition key. */
    public static final String REPLICA_ID = "replicaId";
    /** Internal address other replicas and connection-service post broadcasts to. */
    public static final String ADDRESS = "address";
    /** Epoch millis of the replica's last heartbeat. */
    public static final String HEARTBEAT_AT = "heartbeatAt";
    /**
     * Set by the reaper (only while the heartbeat is the stale one it judged) before it removes the replica's
     * connections; a replica that finds it on its next heartbeat was presumed dead and closes its sockets.
     */
    public static final String REAPED_AT = "reapedAt";
    /** TTL attribute (epoch seconds): a backstop, not the mechanism. */
    public static final String EXPIRES_AT = "expiresAt";

    public static CreateTableRequest.Builder definition(String tableName) {
        return CreateTableRequest.builder()
                .tableName(tableName)
                .keySchema(hashKey(REPLICA_ID))
                .attributeDefinitions(string(REPLICA_ID));
    }

    /** The table as its owner declares it to the provisioner: its definition, with TTL on {@link #EXPIRES_AT}. */
    public static OwnedTable owned(TableSettings tables) {
        return new OwnedTable(definition(tables.replicas()), EXPIRES_AT);
    }
}
