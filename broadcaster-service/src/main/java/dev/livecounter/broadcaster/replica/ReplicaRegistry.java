package dev.livecounter.broadcaster.replica;

import static dev.livecounter.common.replicas.ReplicaTable.ADDRESS;
import static dev.livecounter.common.replicas.ReplicaTable.EXPIRES_AT;
import static dev.livecounter.common.replicas.ReplicaTable.HEARTBEAT_AT;
import static dev.livecounter.common.replicas.ReplicaTable.REAPED_AT;
import static dev.livecounter.common.replicas.ReplicaTable.REPLICA_ID;

import dev.livecounter.broadcaster.config.BroadcasterSettings;
import dev.livecounter.common.dynamodb.TableSettings;
import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.scheduling.TaskScheduler;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * This replica's entry in the replicas table, renewed by a heartbeat, and the list of the other live replicas
 * that a broadcast is posted to. A replica whose heartbeat is older than the timeout is dead to the others
 * (connection-service reaps its connections); its item also expires by TTL as a backstop.
 */
@Singleton
public class ReplicaRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicaRegistry.class);

    private final DynamoDbClient dynamoDb;
    private final ApplicationEventPublisher<ReplicaReaped> events;
    private final TableSettings tables;
    private final BroadcasterSettings settings;
    private final TaskScheduler scheduler;
    private final PeerIntroductions introductions;
    private final String replicaId;
    private volatile URI address;
    private volatile List<Replica> peers = List.of();
    private volatile Instant lastHeartbeat;
    private volatile boolean leaving;
    private ScheduledFuture<?> heartbeats;

    ReplicaRegistry(
            DynamoDbClient dynamoDb,
            TableSettings tables,
            BroadcasterSettings settings,
            @Named(TaskExecutors.SCHEDULED) TaskScheduler scheduler,
            PeerIntroductions introductions,
            ApplicationEventPublisher<ReplicaReaped> events) {
        this.introductions = introductions;
        this.events = events;
        this.dynamoDb = dynamoDb;
        this.tables = tables;
        this.settings = settings;
        this.scheduler = scheduler;
        // unique per process start: a replica restarted under the same name must not inherit, and so hide from
        // the reaper, the connections its previous life left behind
        String name = settings.replicaId() != null && !settings.replicaId().isBlank() ? settings.replicaId() : "replica";
        this.replicaId = name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A live broadcaster replica and the base URL it takes broadcasts at. */
    public record Replica(String replicaId, URI address) {}

    public String replicaId() {
        return replicaId;
    }

    /** The other live replicas, as of the last heartbeat. */
    public List<Replica> peers() {
        return peers;
    }

    /** When this replica last renewed its entry; null if it never has. */
    public Instant lastHeartbeat() {
        return lastHeartbeat;
    }

    @EventListener
    void onServerStartup(ServerStartupEvent event) {
        address = settings.advertisedAddress() != null
                ? settings.advertisedAddress()
                : URI.create("http://127.0.0.1:" + event.getSource().getPort());
        LOG.info("Replica {} takes broadcasts at {}", replicaId, address);
        heartbeats = scheduler.scheduleWithFixedDelay(Duration.ZERO, settings.heartbeatInterval(), this::heartbeat);
    }

    void heartbeat() {
        if (leaving) {
            return;
        }
        try {
            Instant now = Instant.now();
            Map<String, AttributeValue> before = dynamoDb.putItem(r -> r.tableName(tables.replicas())
                    .returnValues(ReturnValue.ALL_OLD)
                    .item(Map.of(
                            REPLICA_ID, AttributeValue.fromS(replicaId),
                            ADDRESS, AttributeValue.fromS(address.toString()),
                            HEARTBEAT_AT, AttributeValue.fromN(Long.toString(now.toEpochMilli())),
                            EXPIRES_AT, AttributeValue.fromN(Long.toString(
                                    now.plus(settings.replicaTimeout()).plus(Duration.ofHours(1)).getEpochSecond())))))
                    .attributes();
            if (wasReaped(before)) {
                // presumed dead (stalled, starved, cut off) and its connections tombstoned: its sockets are counted
                // nowhere; the put above made it live again, and its sockets are closed so that their pages reconnect
                LOG.warn("Replica {} was reaped while it was away; closing its sockets so their pages reconnect", replicaId);
                events.publishEvent(new ReplicaReaped(replicaId));
            }
            lastHeartbeat = now;
            updatePeers(livePeers(now));
        } catch (RuntimeException e) {
            LOG.warn("Heartbeat of replica {} failed: {}", replicaId, e.toString());
        }
    }

    /** A peer introduced itself: read the replicas table now, not at the next heartbeat. */
    void refreshPeersSoon() {
        scheduler.schedule(Duration.ZERO, () -> {
            try {
                updatePeers(livePeers(Instant.now()));
            } catch (RuntimeException e) {
                LOG.warn("Reading the peers of replica {} failed: {}", replicaId, e.toString());
            }
        });
    }

    /** Takes the new list of peers and introduces this replica to those it had not seen (they may not know it). */
    private synchronized void updatePeers(List<Replica> live) {
        List<Replica> before = peers;
        peers = live;
        List<Replica> unseen = live.stream().filter(peer -> !before.contains(peer)).toList();
        if (!unseen.isEmpty()) {
            introductions.introduceTo(unseen);
        }
    }

    /** Its item was deleted by the reaper (it had one before), or carries the reaper's mark. */
    private boolean wasReaped(Map<String, AttributeValue> before) {
        boolean hadItem = lastHeartbeat != null;
        return (before == null || before.isEmpty()) ? hadItem : before.containsKey(REAPED_AT);
    }

    /** This replica found that the reaper took its connections off while it was away. */
    public record ReplicaReaped(String replicaId) {}

    private List<Replica> livePeers(Instant now) {
        long oldest = now.minus(settings.replicaTimeout()).toEpochMilli();
        List<Replica> live = new ArrayList<>();
        // the replicas table holds one small item per replica: a paginated scan is the right read
        dynamoDb.scanPaginator(r -> r.tableName(tables.replicas()).consistentRead(true)).items().forEach(item -> {
            String id = item.get(REPLICA_ID).s();
            AttributeValue heartbeat = item.get(HEARTBEAT_AT);
            AttributeValue at = item.get(ADDRESS);
            if (!id.equals(replicaId) && heartbeat != null && at != null && Long.parseLong(heartbeat.n()) >= oldest) {
                live.add(new Replica(id, URI.create(at.s())));
            }
        });
        return List.copyOf(live);
    }

    /**
     * Leaving: the heartbeat is set to zero rather than the item deleted, so no peer posts here any more and
     * the reaper removes at once whatever connections this replica could not deregister itself, then the item.
     */
    @PreDestroy
    void deregister() {
        leaving = true;
        if (heartbeats != null) {
            heartbeats.cancel(false);
        }
        try {
            dynamoDb.updateItem(r -> r.tableName(tables.replicas())
                    .key(Map.of(REPLICA_ID, AttributeValue.fromS(replicaId)))
                    .updateExpression("SET #hb = :zero")
                    .expressionAttributeNames(Map.of("#hb", HEARTBEAT_AT))
                    .expressionAttributeValues(Map.of(":zero", AttributeValue.fromN("0"))));
        } catch (RuntimeException e) {
            LOG.warn("Could not mark replica {} as gone: {}", replicaId, e.toString());
        }
    }
}
