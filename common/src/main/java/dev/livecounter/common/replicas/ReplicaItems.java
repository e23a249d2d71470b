package dev.livecounter.common.replicas;

import static dev.livecounter.common.replicas.ReplicaTable.ADDRESS;
import static dev.livecounter.common.replicas.ReplicaTable.EXPIRES_AT;
import static dev.livecounter.common.replicas.ReplicaTable.HEARTBEAT_AT;
import static dev.livecounter.common.replicas.ReplicaTable.REAPED_AT;
import static dev.livecounter.common.replicas.ReplicaTable.REPLICA_ID;

import dev.livecounter.common.dynamodb.TableSettings;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * Every read and write of the replicas table ({@link ReplicaTable}): the broadcasters' heartbeats, the peers they
 * and connection-service post to, and the reaper's marks. The table holds one small item per replica, so a read of
 * all of them is one consistent, paginated scan.
 */
@Singleton
public final class ReplicaItems {

    private final DynamoDbClient dynamoDb;
    private final TableSettings tables;

    public ReplicaItems(DynamoDbClient dynamoDb, TableSettings tables) {
        this.dynamoDb = dynamoDb;
        this.tables = tables;
    }

    /**
     * A replica as its item says.
     *
     * @param address     where it takes posts; null until its first heartbeat wrote one
     * @param heartbeatAt epoch millis of its last heartbeat; 0 when it has none or left
     * @param reaped      the reaper has taken its connections off
     */
    public record Replica(String replicaId, @Nullable URI address, long heartbeatAt, boolean reaped) {

        /** It beat at or after {@code oldest} and can be posted to. */
        public boolean liveSince(Instant oldest) {
            return address != null && heartbeatAt >= oldest.toEpochMilli();
        }
    }

    /** Every replica's item, read now (strongly consistent). */
    public List<Replica> all() {
        List<Replica> replicas = new ArrayList<>();
        dynamoDb.scanPaginator(r -> r.tableName(tables.replicas()).consistentRead(true)).items()
                .forEach(item -> replicas.add(replica(item)));
        return replicas;
    }

    /**
     * Writes a heartbeat of {@code replicaId}; its item expires {@code expiresAfter} later unless beaten again.
     *
     * @return the item as it was before: null when there was none (a first beat, or the reaper deleted it)
     */
    public @Nullable Replica beat(String replicaId, URI address, Instant now, Duration expiresAfter) {
        Map<String, AttributeValue> before = dynamoDb.putItem(r -> r.tableName(tables.replicas())
                        .returnValues(ReturnValue.ALL_OLD)
                        .item(Map.of(
                                REPLICA_ID, AttributeValue.fromS(replicaId),
                                ADDRESS, AttributeValue.fromS(address.toString()),
                                HEARTBEAT_AT, number(now.toEpochMilli()),
                                EXPIRES_AT, number(now.plus(expiresAfter).getEpochSecond()))))
                .attributes();
        return before == null || before.isEmpty() ? null : replica(before);
    }

    /** The replica is leaving: its heartbeat goes to 0, so nobody posts to it and the reaper takes what it left. */
    public void leave(String replicaId) {
        dynamoDb.updateItem(r -> r.tableName(tables.replicas())
                .key(key(replicaId))
                .updateExpression("SET #hb = :zero")
                .expressionAttributeNames(Map.of("#hb", HEARTBEAT_AT))
                .expressionAttributeValues(Map.of(":zero", number(0))));
    }

    /**
     * Marks the replica as reaped, only while its item exists with the heartbeat judged dead: a replica that finds
     * the mark on its next heartbeat closes its sockets.
     *
     * @return false when it beat since (it is alive; leave it be)
     */
    public boolean markReaped(String replicaId, long heartbeatAt) {
        try {
            dynamoDb.updateItem(r -> r.tableName(tables.replicas())
                    .key(key(replicaId))
                    .updateExpression("SET #reaped = :now")
                    .conditionExpression("attribute_exists(#id) AND (attribute_not_exists(#hb) OR #hb = :hb)")
                    .expressionAttributeNames(Map.of("#reaped", REAPED_AT, "#id", REPLICA_ID, "#hb", HEARTBEAT_AT))
                    .expressionAttributeValues(Map.of(
                            ":now", number(Instant.now().toEpochMilli()), ":hb", number(heartbeatAt))));
            return true;
        } catch (ConditionalCheckFailedException cameBack) {
            return false;
        }
    }

    /**
     * Deletes the replica's item, only while its heartbeat is still {@code heartbeatAt}.
     *
     * @return false when it beat since and was kept
     */
    public boolean deleteIfStill(String replicaId, long heartbeatAt) {
        try {
            dynamoDb.deleteItem(r -> r.tableName(tables.replicas())
                    .key(key(replicaId))
                    .conditionExpression("attribute_not_exists(#hb) OR #hb = :hb")
                    .expressionAttributeNames(Map.of("#hb", HEARTBEAT_AT))
                    .expressionAttributeValues(Map.of(":hb", number(heartbeatAt))));
            return true;
        } catch (ConditionalCheckFailedException cameBack) {
            return false;
        }
    }

    private static Replica replica(Map<String, AttributeValue> item) {
        AttributeValue address = item.get(ADDRESS);
        AttributeValue heartbeat = item.get(HEARTBEAT_AT);
        return new Replica(item.get(REPLICA_ID).s(), address == null ? null : URI.create(address.s()),
                heartbeat == null ? 0 : Long.parseLong(heartbeat.n()), item.containsKey(REAPED_AT));
    }

    private static Map<String, AttributeValue> key(String replicaId) {
        return Map.of(REPLICA_ID, AttributeValue.fromS(replicaId));
    }

    private static AttributeValue number(long n) {
        return AttributeValue.fromN(Long.toString(n));
    }
}
