package dev.livecounter.connection.broadcast;

import static dev.livecounter.common.replicas.ReplicaTable.ADDRESS;
import static dev.livecounter.common.replicas.ReplicaTable.HEARTBEAT_AT;
import static dev.livecounter.common.replicas.ReplicaTable.REPLICA_ID;

import dev.livecounter.common.dynamodb.TableSettings;
import dev.livecounter.connection.reaper.ReaperSettings;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The broadcaster replicas alive now and where they take posts, re-read from the replicas table every
 * {@link BroadcastSettings#replicasRefresh()} (one small scan: the table holds one item per replica), as the
 * broadcasters find their peers. A replica is live while the reaper would not reap it
 * ({@link ReaperSettings#replicaTimeout()}).
 */
@Singleton
public class LiveReplicas {

    private static final Logger LOG = LoggerFactory.getLogger(LiveReplicas.class);
    private static final long EAGER_REFRESH_GAP_NANOS = 200_000_000L;

    private final DynamoDbClient dynamoDb;
    private final TableSettings tables;
    private final BroadcastSettings settings;
    private final Duration replicaTimeout;
    private volatile Map<String, URI> live = Map.of();
    private volatile long refreshedAt = System.nanoTime();

    LiveReplicas(DynamoDbClient dynamoDb, TableSettings tables, BroadcastSettings settings, ReaperSettings reaper) {
        this.dynamoDb = dynamoDb;
        this.tables = tables;
        this.settings = settings;
        this.replicaTimeout = reaper.replicaTimeout();
    }

    /** The live replicas' base URLs, as of the last refresh. */
    public Collection<URI> addresses() {
        return live.values();
    }

    /**
     * A call came from this replica: if it is not known yet (it has just started), re-read the table now, so its
     * pages get the change this call makes (at most one extra read per {@link #EAGER_REFRESH_GAP_NANOS}).
     */
    public void heardFrom(String replicaId) {
        if (!live.containsKey(replicaId) && System.nanoTime() - refreshedAt > EAGER_REFRESH_GAP_NANOS) {
            refresh();
        }
    }

    @Scheduled(fixedDelay = "#{ ctx[dev.livecounter.connection.broadcast.BroadcastSettings].replicasRefresh }")
    synchronized void refresh() {
        if (!settings.enabled()) {
            return;
        }
        long oldest = Instant.now().minus(replicaTimeout).toEpochMilli();
        Map<String, URI> found = new HashMap<>();
        refreshedAt = System.nanoTime();
        try {
            dynamoDb.scanPaginator(r -> r.tableName(tables.replicas()).consistentRead(true)).items().forEach(item -> {
                var heartbeat = item.get(HEARTBEAT_AT);
                var address = item.get(ADDRESS);
                if (heartbeat != null && address != null && Long.parseLong(heartbeat.n()) >= oldest) {
                    found.put(item.get(REPLICA_ID).s(), URI.create(address.s()));
                }
            });
            live = Map.copyOf(found);
        } catch (RuntimeException e) {
            // keep the last list: a post to a replica that died meanwhile only fails
            LOG.debug("Reading the live replicas failed: {}", e.toString());
        }
    }
}
