package dev.livecounter.broadcaster.fanout;

import dev.livecounter.broadcaster.config.BroadcasterSettings;
import dev.livecounter.broadcaster.replica.PeerPosts;
import dev.livecounter.broadcaster.replica.ReplicaRegistry;
import dev.livecounter.common.broadcast.SnapshotOutbox;
import dev.livecounter.common.model.CounterSnapshot;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A change for this replica's pages and for its peers' (O(replicas) posts, not O(connections), as API Gateway's
 * postToConnection would, but per replica). The stream brings every change to every replica too, so a post that
 * fails costs latency, not correctness; the copy that arrives second has an old version and is dropped.
 * (Connects and disconnects are posted to every replica by connection-service, which writes them.)
 */
@Singleton
public class PeerFanout {

    private static final Logger LOG = LoggerFactory.getLogger(PeerFanout.class);

    private final PageFanout pages;
    private final PeerPosts peers;
    /** Presses applied here on their way to the peers, coalesced per counter. */
    private final SnapshotOutbox pressesToPeers;
    private final Timer peerPosts;
    private final Counter peerFailures;

    PeerFanout(PageFanout pages, PeerPosts peers, BroadcasterSettings settings, MeterRegistry meters) {
        this.pages = pages;
        this.peers = peers;
        this.pressesToPeers = new SnapshotOutbox("peer-poster", settings.coalesceInterval(), this::postToPeers);
        this.peerPosts = Timer.builder("livecounter.broadcast.peer.latency")
                .description("time to post one change to one peer replica")
                .publishPercentiles(0.5, 0.99)
                .register(meters);
        this.peerFailures = meters.counter("livecounter.broadcast.peer.failures");
    }

    /** A change this replica read from the stream (already coalesced per batch): to its pages and every peer. */
    public void streamChange(CounterSnapshot snapshot) {
        pages.offer(snapshot);
        postToPeers(snapshot);
    }

    /**
     * A press this replica forwarded, as the write left the counter: to the peers without waiting for the stream (at
     * most one post per counter per coalescing interval, always the newest), and to its pages. The peers first: their
     * pages are a post further away, and this replica's frames queue writes to its event loops, which the post would
     * otherwise wait behind where it shares one of them.
     */
    public void pressApplied(CounterSnapshot snapshot) {
        pressesToPeers.offer(snapshot);
        pages.offer(snapshot);
    }

    @PreDestroy
    void stop() {
        pressesToPeers.close();
    }

    private void postToPeers(CounterSnapshot snapshot) {
        long started = System.nanoTime();
        peers.counter(snapshot).forEach((peer, post) -> post.whenComplete((posted, error) -> {
            if (error == null) {
                peerPosts.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            } else {
                failed(snapshot, peer, error);
            }
        }));
    }

    private void failed(CounterSnapshot snapshot, ReplicaRegistry.Replica peer, Throwable error) {
        peerFailures.increment();
        LOG.warn("Broadcast of {} v{} to replica {} failed: {}",
                snapshot.counter(), snapshot.version(), peer.replicaId(), error.toString());
    }
}
