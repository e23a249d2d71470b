package dev.livecounter.connection.reaper;

import static dev.livecounter.common.replicas.ReplicaTable.HEARTBEAT_AT;
import static dev.livecounter.common.replicas.ReplicaTable.REAPED_AT;
import static dev.livecounter.common.replicas.ReplicaTable.REPLICA_ID;

import dev.livecounter.common.counters.CounterStore;
import dev.livecounter.common.dynamodb.TableSettings;
import dev.livecounter.common.model.DisconnectResult;
import dev.livecounter.connection.broadcast.ChangePublisher;
import dev.livecounter.connection.dynamodb.ConnectionReads;
import dev.livecounter.connection.dynamodb.Disconnects;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Requires;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Removes the connections of broadcaster replicas that died (kill -9, node loss) or left without deregistering
 * every socket. Each connection goes through the same conditional transaction as a disconnect, so online drops
 * by exactly that many, once, even with several reapers racing each other and the replica's own disconnects.
 * The counters it changed go straight to the live replicas' pages ({@link ChangePublisher}).
 */
@Singleton
@Requires(property = "livecounter.reaper.enabled", notEquals = "false")
public class ReplicaReaper {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicaReaper.class);
    /** Two looks at a suspect this far apart: longer than a heartbeat delayed by one failed call (2 s + 3 s). */
    static final Duration SECOND_LOOK = Duration.ofSeconds(6);
    /** Connections removed per transaction: DynamoDB's 100 items, one per connection plus one per counter. */
    private static final int BATCH = 49;

    private final DynamoDbClient dynamoDb;
    private final TableSettings tables;
    private final ReaperSettings settings;
    private final Disconnects disconnects;
    private final ConnectionReads connections;
    private final CounterStore counters;
    private final ChangePublisher changes;
    private final AtomicLong reaped = new AtomicLong();
    /** Stale replicas of the previous successful scan and the heartbeat they had then. */
    private final Map<String, AttributeValue> suspects = new HashMap<>();
    /** When {@link #suspects} were taken. */
    private long suspectsSince = System.nanoTime();
    /** Since when every scan has succeeded (0: the last one failed). */
    private long reachableSince;

    ReplicaReaper(
            DynamoDbClient dynamoDb,
            TableSettings tables,
            ReaperSettings settings,
            Disconnects disconnects,
            ConnectionReads connections,
            CounterStore counters,
            ChangePublisher changes,
            MeterRegistry meters) {
        this.changes = changes;
        FunctionCounter.builder("livecounter.reaper.connections", reaped, AtomicLong::get)
                .description("connections of dead replicas removed by this instance")
                .register(meters);
        this.dynamoDb = dynamoDb;
        this.tables = tables;
        this.settings = settings;
        this.connections = connections;
        this.disconnects = disconnects;
        this.counters = counters;
    }

    /** Connections removed by this instance since it started. */
    public long reapedConnections() {
        return reaped.get();
    }

    /**
     * A stale heartbeat is trusted at first sight only when this reaper has reached the database without a break
     * for at least the replica timeout: a live replica could then have renewed it. Otherwise (right after a
     * database outage, or this service's own start) every replica's heartbeat may be stale until its next beat,
     * and reaping then would take live pages off the count: a replica is reaped only when two successful scans,
     * at least {@link #SECOND_LOOK} apart, saw the same stale heartbeat.
     */
    @Scheduled(fixedDelay = "#{ ctx[dev.livecounter.connection.reaper.ReaperSettings].interval }",
            initialDelay = "#{ ctx[dev.livecounter.connection.reaper.ReaperSettings].interval }")
    void reapDeadReplicas() {
        long deadBefore = Instant.now().minus(settings.replicaTimeout()).toEpochMilli();
        Map<String, AttributeValue> stale = new HashMap<>();
        try {
            dynamoDb.scanPaginator(r -> r.tableName(tables.replicas()).consistentRead(true)).items().forEach(item -> {
                AttributeValue heartbeat = item.get(HEARTBEAT_AT);
                if (heartbeat == null || Long.parseLong(heartbeat.n()) < deadBefore) {
                    stale.put(item.get(REPLICA_ID).s(), heartbeat == null ? AttributeValue.fromN("0") : heartbeat);
                }
            });
        } catch (RuntimeException e) {
            LOG.warn("Reaping dead replicas failed, will retry: {}", e.toString());
            reachableSince = 0;
            return;
        }
        long now = System.nanoTime();
        if (reachableSince == 0) {
            reachableSince = now;
        }
        boolean trustFirstSight = now - reachableSince >= settings.replicaTimeout().toNanos();
        boolean secondLook = now - suspectsSince >= SECOND_LOOK.toNanos();
        stale.forEach((replicaId, heartbeat) -> {
            if (trustFirstSight || (secondLook && heartbeat.equals(suspects.get(replicaId)))) {
                try {
                    reap(replicaId, heartbeat);
                } catch (RuntimeException e) {
                    LOG.warn("Reaping replica {} failed, will retry: {}", replicaId, e.toString());
                }
            }
        });
        if (secondLook) {
            suspects.clear();
            suspects.putAll(stale);
            suspectsSince = now;
        }
    }

    private void reap(String replicaId, AttributeValue heartbeat) {
        try {
            // first tell the replica, should it only be stalled, that its connections are going: its next heartbeat
            // finds the mark and it closes its sockets (their pages reconnect and are counted again); and only if
            // its heartbeat is still the one judged dead, so a replica that came back is not reaped at all
            dynamoDb.updateItem(r -> r.tableName(tables.replicas())
                    .key(Map.of(REPLICA_ID, AttributeValue.fromS(replicaId)))
                    .updateExpression("SET #reaped = :now")
                    .conditionExpression("attribute_exists(#id) AND (attribute_not_exists(#hb) OR #hb = :hb)")
                    .expressionAttributeNames(Map.of("#reaped", REAPED_AT, "#id", REPLICA_ID, "#hb", HEARTBEAT_AT))
                    .expressionAttributeValues(Map.of(
                            ":now", AttributeValue.fromN(Long.toString(Instant.now().toEpochMilli())),
                            ":hb", heartbeat)));
        } catch (ConditionalCheckFailedException cameBack) {
            LOG.info("Replica {} is beating again; not reaped", replicaId);
            return;
        }
        long removed = 0;
        Set<String> changed = new TreeSet<>();
        List<String> ids = connections.ofReplica(replicaId);
        // in transactions of up to 49 (as the broadcasters' disconnects): a replica that held thousands of sockets
        // leaves the count in seconds, not one transaction per socket
        for (int from = 0; from < ids.size(); from += BATCH) {
            List<String> batch = ids.subList(from, Math.min(ids.size(), from + BATCH));
            for (DisconnectResult result : disconnects.disconnect(batch)) {
                if (result.removed()) {
                    removed++;
                    changed.add(result.counter());
                }
            }
        }
        reaped.addAndGet(removed);
        publish(changed);
        try {
            // only if it did not come back meanwhile: its heartbeat is still the one we judged dead
            dynamoDb.deleteItem(r -> r.tableName(tables.replicas())
                    .key(Map.of(REPLICA_ID, AttributeValue.fromS(replicaId)))
                    .conditionExpression("attribute_not_exists(#hb) OR #hb = :hb")
                    .expressionAttributeNames(Map.of("#hb", HEARTBEAT_AT))
                    .expressionAttributeValues(Map.of(":hb", heartbeat)));
        } catch (ConditionalCheckFailedException cameBack) {
            LOG.info("Replica {} is beating again; kept it", replicaId);
        }
        LOG.info("Reaped replica {}: {} connection(s) removed", replicaId, removed);
    }

    /** Each counter the reaping changed, read once now that it is done, straight to the live replicas' pages. */
    private void publish(Set<String> changed) {
        for (String counter : changed) {
            try {
                changes.publish(counters.read(counter));
            } catch (RuntimeException e) {
                LOG.warn("Read of counter {} after reaping failed; the stream brings it: {}", counter, e.toString());
            }
        }
    }
}
