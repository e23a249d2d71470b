package dev.livecounter.connection.broadcast;

import dev.livecounter.common.broadcast.BroadcastPosts;
import dev.livecounter.common.broadcast.SnapshotOutbox;
import dev.livecounter.common.contract.ReplicaOperations;
import dev.livecounter.common.model.CounterSnapshot;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shows connection-service's changes on every page at once: each counter a connect, a disconnect or the reaper
 * changed goes, as the write left it (version included), to every live broadcaster replica's
 * {@link ReplicaOperations#BROADCAST}, the endpoint the replicas post each other's presses to. Not through the stream:
 * that reaches pages only while some replica holds its lease, which takes a while on a fresh start and moves for
 * seconds when its holder dies. Per counter at most one post per {@link BroadcastSettings#coalesceInterval()},
 * always the newest, so a storm of connects costs a few posts. A failed post is logged; the stream repairs it.
 */
@Singleton
public class ChangePublisher {

    private static final Logger LOG = LoggerFactory.getLogger(ChangePublisher.class);

    private final boolean enabled;
    private final SnapshotOutbox outbox;

    ChangePublisher(LiveReplicas replicas, BroadcastSettings settings, BroadcastPosts posts) {
        this.enabled = settings.enabled();
        this.outbox = new SnapshotOutbox("change-poster", settings.coalesceInterval(),
                snapshot -> post(replicas, posts, snapshot));
    }

    /** A counter as a write of this service left it; posted at once, or with the next post of its counter. */
    public void publish(CounterSnapshot snapshot) {
        if (enabled && snapshot != null) {
            outbox.offer(snapshot);
        }
    }

    private static void post(LiveReplicas replicas, BroadcastPosts posts, CounterSnapshot snapshot) {
        for (URI replica : replicas.addresses()) {
            posts.post(replica, snapshot).exceptionally(error -> {
                LOG.warn("Posting {} v{} to {} failed: {}",
                        snapshot.counter(), snapshot.version(), replica, error.toString());
                return null;
            });
        }
    }

    @PreDestroy
    void stop() {
        outbox.close();
    }
}
