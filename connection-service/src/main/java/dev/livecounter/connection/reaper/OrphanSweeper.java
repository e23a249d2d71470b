package dev.livecounter.connection.reaper;

import static dev.livecounter.common.replicas.ReplicaTable.REPLICA_ID;

import dev.livecounter.common.counters.CounterStore;
import dev.livecounter.common.dynamodb.TableSettings;
import dev.livecounter.common.model.DisconnectResult;
import dev.livecounter.connection.broadcast.ChangePublisher;
import dev.livecounter.connection.dynamodb.ConnectionReads;
import dev.livecounter.connection.dynamodb.Disconnects;
import io.micronaut.context.annotation.Requires;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Removes connections whose replica has no replica item at all, which the {@link ReplicaReaper} (it starts from the
 * replicas table) never finds: a connect of a replica that lands after the reaper has queried its connections (the
 * replica then never comes back to close it), or a replica item that DynamoDB's TTL deleted before the reaper saw it
 * stale. Each sweep reads the {@code byReplica} index (connection ids and replica ids only); a replica id without an
 * item on two sweeps in a row, with the same connections, is an orphan, and its connections go through the same
 * batched disconnect as the reaper's, so each leaves online once. Two sightings a sweep apart, because a replica's
 * first connects may land just before its first heartbeat item.
 */
@Singleton
@Requires(property = "livecounter.reaper.enabled", notEquals = "false")
public class OrphanSweeper {

    private static final Logger LOG = LoggerFactory.getLogger(OrphanSweeper.class);
    private static final int BATCH = 49;

    private final DynamoDbClient dynamoDb;
    private final TableSettings tables;
    private final ConnectionReads connections;
    private final Disconnects disconnects;
    private final CounterStore counters;
    private final ChangePublisher changes;
    /** Connections of replica ids without an item on the previous sweep. */
    private Map<String, Set<String>> suspects = Map.of();

    OrphanSweeper(DynamoDbClient dynamoDb, TableSettings tables, ConnectionReads connections, Disconnects disconnects,
            CounterStore counters, ChangePublisher changes) {
        this.disconnects = disconnects;
        this.counters = counters;
        this.dynamoDb = dynamoDb;
        this.tables = tables;
        this.connections = connections;
        this.changes = changes;
    }

    @Scheduled(fixedDelay = "#{ ctx[dev.livecounter.connection.reaper.ReaperSettings].orphanSweepInterval }",
            initialDelay = "#{ ctx[dev.livecounter.connection.reaper.ReaperSettings].orphanSweepInterval }")
    void sweep() {
        Map<String, Set<String>> orphans;
        try {
            orphans = withoutReplicaItem(connections.liveByReplica());
        } catch (RuntimeException e) {
            LOG.warn("Sweep for orphaned connections failed, will retry: {}", e.toString());
            return;
        }
        Map<String, Set<String>> previous = suspects;
        suspects = orphans;
        Set<String> changed = new TreeSet<>();
        orphans.forEach((replicaId, ids) -> {
            List<String> seenTwice = new ArrayList<>(ids);
            seenTwice.retainAll(previous.getOrDefault(replicaId, Set.of()));
            for (int from = 0; from < seenTwice.size(); from += BATCH) {
                List<String> batch = seenTwice.subList(from, Math.min(seenTwice.size(), from + BATCH));
                try {
                    for (DisconnectResult result : disconnects.disconnect(batch)) {
                        if (result.removed()) {
                            changed.add(result.counter());
                        }
                    }
                } catch (RuntimeException e) {
                    LOG.warn("Removing orphaned connections of {} failed, will retry: {}", replicaId, e.toString());
                }
            }
            if (!seenTwice.isEmpty()) {
                LOG.info("Replica {} has no replica item: {} orphaned connection(s) removed", replicaId, seenTwice.size());
            }
        });
        for (String counter : changed) {
            try {
                changes.publish(counters.read(counter));
            } catch (RuntimeException e) {
                LOG.warn("Read of counter {} after the sweep failed; the stream brings it: {}", counter, e.toString());
            }
        }
    }

    private Map<String, Set<String>> withoutReplicaItem(Map<String, Set<String>> byReplica) {
        Set<String> known = new HashSet<>();
        dynamoDb.scanPaginator(r -> r.tableName(tables.replicas()).consistentRead(true)
                        .projectionExpression("#replica")
                        .expressionAttributeNames(Map.of("#replica", REPLICA_ID)))
                .items()
                .forEach(item -> known.add(item.get(REPLICA_ID).s()));
        Map<String, Set<String>> orphans = new HashMap<>(byReplica);
        orphans.keySet().removeAll(known);
        return orphans;
    }
}
