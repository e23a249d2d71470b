package dev.livecounter.connection.reaper;

import dev.livecounter.common.metrics.MetricNames;
import dev.livecounter.common.replicas.ReplicaItems;
import dev.livecounter.connection.config.ReaperSettings;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Requires;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

    private final ReplicaItems replicas;
    private final ReplicaConnections connections;
    private final Counter succeeded;
    private final Counter failed;
    /** Connections of replica ids without an item on the previous sweep. */
    private Map<String, Set<String>> suspects = Map.of();

    OrphanSweeper(ReplicaItems replicas, ReplicaConnections connections, MeterRegistry meters) {
        this.replicas = replicas;
        this.connections = connections;
        this.succeeded = ReplicaReaper.runs(meters, "orphan-sweep", MetricNames.OK);
        this.failed = ReplicaReaper.runs(meters, "orphan-sweep", MetricNames.FAILED);
    }

    @Scheduled(fixedDelay = "#{ ctx[dev.livecounter.connection.config.ReaperSettings].orphanSweepInterval }",
            initialDelay = "#{ ctx[dev.livecounter.connection.config.ReaperSettings].orphanSweepInterval }")
    void sweep() {
        Map<String, Set<String>> orphans;
        try {
            orphans = withoutReplicaItem(connections.byReplica());
        } catch (RuntimeException e) {
            LOG.warn("Sweep for orphaned connections failed, will retry: {}", e.toString());
            failed.increment();
            return;
        }
        succeeded.increment();
        Map<String, Set<String>> previous = suspects;
        suspects = orphans;
        orphans.forEach((replicaId, ids) -> {
            List<String> seenTwice = new ArrayList<>(ids);
            seenTwice.retainAll(previous.getOrDefault(replicaId, Set.of()));
            if (seenTwice.isEmpty()) {
                return;
            }
            try {
                LOG.info("Replica {} has no replica item: {} orphaned connection(s) removed",
                        replicaId, connections.remove(seenTwice));
            } catch (RuntimeException e) {
                LOG.warn("Removing orphaned connections of {} failed, will retry: {}", replicaId, e.toString());
            }
        });
    }

    private Map<String, Set<String>> withoutReplicaItem(Map<String, Set<String>> byReplica) {
        Map<String, Set<String>> orphans = new HashMap<>(byReplica);
        replicas.all().forEach(replica -> orphans.remove(replica.replicaId()));
        return orphans;
    }
}
