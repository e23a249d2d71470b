package dev.livecounter.broadcaster.fanout;

import dev.livecounter.broadcaster.config.BroadcasterSettings;
import dev.livecounter.common.broadcast.SnapshotOutbox;
import dev.livecounter.common.model.CounterSnapshot;
import dev.livecounter.common.security.InternalSecretFilter;
import io.micronaut.context.annotation.Value;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Crosses replicas: the replica that reads a change from the stream hands it to its own pages in-process and
 * posts it once to every other live replica (O(replicas), not O(connections)), as API Gateway's
 * postToConnection would, but per replica.
 *
 * <p>A press this replica forwarded is already known here with its version when the write returns: it goes to
 * the peers at once ({@link #share}) instead of one stream poll later, coalesced per counter like the pages'
 * frames. (Connects and disconnects are posted to every replica by connection-service, which writes them.) The
 * stream still brings every change to every replica, so a post that fails costs latency, not correctness; the
 * copy that arrives second has an old version and is dropped.
 */
@Singleton
public class ReplicaFanout {

    /** Where replicas take broadcasts from their peers. */
    public static final String PATH = "/internal/broadcast";

    private static final Logger LOG = LoggerFactory.getLogger(ReplicaFanout.class);

    private final LocalFanout local;
    private final ReplicaRegistry registry;
    private final HttpClient http;
    private final String secret;
    private final Timer peerPosts;
    private final Counter peerFailures;
    /** This replica's own changes on their way to the peers, coalesced per counter; see {@link #share}. */
    private final SnapshotOutbox outbox;

    ReplicaFanout(
            LocalFanout local,
            ReplicaRegistry registry,
            @Client HttpClient http,
            @Value("${livecounter.internal.secret:}") String secret,
            BroadcasterSettings settings,
            MeterRegistry meters) {
        this.local = local;
        this.outbox = new SnapshotOutbox("peer-poster", settings.coalesceInterval(), this::postToPeers);
        this.peerPosts = Timer.builder("livecounter.broadcast.peer.latency")
                .description("time to post one change to one peer replica")
                .publishPercentiles(0.5, 0.99)
                .register(meters);
        this.peerFailures = meters.counter("livecounter.broadcast.peer.failures");
        this.registry = registry;
        this.http = http;
        this.secret = secret;
    }

    /** A change read from the stream: to this replica's pages, and once to every peer. */
    public void publish(CounterSnapshot snapshot) {
        local.offer(snapshot);
        postToPeers(snapshot);
    }

    /**
     * A press this replica forwarded (the counter as the write left it): to its pages, and to the peers without
     * waiting for the stream, at most one post per counter per coalescing interval, always the newest.
     */
    public void share(CounterSnapshot snapshot) {
        local.offer(snapshot);
        outbox.offer(snapshot);
    }

    @PreDestroy
    void stop() {
        outbox.close();
    }

    private void postToPeers(CounterSnapshot snapshot) {
        for (ReplicaRegistry.Replica peer : registry.peers()) {
            HttpRequest<CounterSnapshot> post = HttpRequest.POST(peer.address().resolve(PATH), snapshot)
                    .header(InternalSecretFilter.HEADER, secret);
            long started = System.nanoTime();
            Mono.from(http.exchange(post))
                    .subscribe(
                            response -> peerPosts.record(System.nanoTime() - started, TimeUnit.NANOSECONDS),
                            error -> failed(snapshot, peer, error));
        }
    }

    private void failed(CounterSnapshot snapshot, ReplicaRegistry.Replica peer, Throwable error) {
        peerFailures.increment();
        LOG.warn(
                "Broadcast of {} v{} to replica {} failed: {}",
                snapshot.counter(), snapshot.version(), peer.replicaId(), error.toString());
    }
}
