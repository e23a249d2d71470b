package dev.livecounter.connection.broadcast;

import dev.livecounter.common.replicas.ReplicaItems;
import dev.livecounter.connection.config.ReaperSettings;
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

    private final ReplicaItems replicas;
    private final BroadcastSettings settings;
    private final Duration replicaTimeout;
    private volatile Map<String, URI> live = Map.of();
    private volatile long refreshedAt = System.nanoTime();

    LiveReplicas(ReplicaItems replicas, BroadcastSettings settings, ReaperSettings reaper) {
        this.replicas = replicas;
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
        Instant oldest = Instant.now().minus(replicaTimeout);
        Map<String, URI> found = new HashMap<>();
        refreshedAt = System.nanoTime();
        try {
            for (ReplicaItems.Replica replica : replicas.all()) {
                if (replica.liveSince(oldest)) {
                    found.put(replica.replicaId(), replica.address());
                }
            }
            live = Map.copyOf(found);
        } catch (RuntimeException e) {
            // keep the last list: a post to a replica that died meanwhile only fails
            LOG.debug("Reading the live replicas failed: {}", e.toString());
        }
    }
}
