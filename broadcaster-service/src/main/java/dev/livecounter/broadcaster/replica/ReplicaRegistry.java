package dev.livecounter.broadcaster.replica;

import dev.livecounter.broadcaster.config.BroadcasterSettings;
import dev.livecounter.common.replicas.ReplicaItems;
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
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This replica's entry in the replicas table, renewed by a heartbeat, and the list of the other live replicas
 * that a broadcast is posted to. A replica whose heartbeat is older than the timeout is dead to the others
 * (connection-service reaps its connections); its item also expires by TTL as a backstop.
 */
@Singleton
public class ReplicaRegistry implements Peers {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicaRegistry.class);

    private final ReplicaItems replicas;
    private final BroadcasterSettings settings;
    private final TaskScheduler scheduler;
    private final PeerIntroductions introductions;
    private final ApplicationEventPublisher<ReplicaReaped> events;
    private final String replicaId;
    private volatile URI address;
    private volatile List<Replica> peers = List.of();
    private volatile Instant lastHeartbeat;
    private volatile boolean leaving;
    private ScheduledFuture<?> heartbeats;

    ReplicaRegistry(ReplicaItems replicas, BroadcasterSettings settings,
            @Named(TaskExecutors.SCHEDULED) TaskScheduler scheduler, PeerIntroductions introductions,
            ApplicationEventPublisher<ReplicaReaped> events) {
        this.replicas = replicas;
        this.settings = settings;
        this.scheduler = scheduler;
        this.introductions = introductions;
        this.events = events;
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
    @Override
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
            ReplicaItems.Replica before =
                    replicas.beat(replicaId, address, now, settings.replicaTimeout().plus(Duration.ofHours(1)));
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
    private boolean wasReaped(ReplicaItems.Replica before) {
        return before == null ? lastHeartbeat != null : before.reaped();
    }

    /** This replica found that the reaper took its connections off while it was away. */
    public record ReplicaReaped(String replicaId) {}

    private List<Replica> livePeers(Instant now) {
        Instant oldest = now.minus(settings.replicaTimeout());
        return replicas.all().stream()
                .filter(replica -> !replica.replicaId().equals(replicaId) && replica.liveSince(oldest))
                .map(replica -> new Replica(replica.replicaId(), replica.address()))
                .toList();
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
            replicas.leave(replicaId);
        } catch (RuntimeException e) {
            LOG.warn("Could not mark replica {} as gone: {}", replicaId, e.toString());
        }
    }
}
