package dev.livecounter.broadcaster.fanout;

import dev.livecounter.broadcaster.config.BroadcasterSettings;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
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
    private final long intervalNanos;
    /** Counters with a change of this replica's own posted within the last interval; see {@link #share}. */
    private final ConcurrentHashMap<String, Outbox> outboxes = new ConcurrentHashMap<>();
    private final ScheduledExecutorService poster = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "peer-poster");
        thread.setDaemon(true);
        return thread;
    });

    ReplicaFanout(
            LocalFanout local,
            ReplicaRegistry registry,
            @Client HttpClient http,
            @Value("${livecounter.internal.secret:}") String secret,
            BroadcasterSettings settings,
            MeterRegistry meters) {
        this.local = local;
        this.intervalNanos = settings.coalesceInterval().toNanos();
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
        shareWithPeers(snapshot);
    }

    private void shareWithPeers(CounterSnapshot snapshot) {
        outboxes.compute(snapshot.counter(), (counter, box) -> {
            Outbox outbox = box == null ? new Outbox() : box;
            if (outbox.newest == null || snapshot.isNewerThan(outbox.newest)) {
                outbox.newest = snapshot;
                if (!outbox.scheduled) {
                    outbox.scheduled = true;
                    schedule(counter, outbox.sent == null ? 0 : Math.max(0, outbox.sentAt + intervalNanos - System.nanoTime()));
                }
            }
            return outbox;
        });
    }

    /** Posts what came since the last post, then looks again one interval later; an outbox idle that long goes. */
    private void flush(String counter) {
        CounterSnapshot[] due = new CounterSnapshot[1];
        outboxes.computeIfPresent(counter, (name, outbox) -> {
            outbox.scheduled = false;
            if (outbox.newest == outbox.sent) {
                return null;
            }
            due[0] = outbox.newest;
            outbox.sent = outbox.newest;
            outbox.sentAt = System.nanoTime();
            outbox.scheduled = true;
            schedule(name, intervalNanos);
            return outbox;
        });
        if (due[0] != null) {
            postToPeers(due[0]);
        }
    }

    private void schedule(String counter, long delayNanos) {
        try {
            poster.schedule(() -> flush(counter), delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException shuttingDown) {
            // the stream brings the change to the peers
        }
    }

    @PreDestroy
    void stop() {
        poster.shutdownNow();
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

    /** Guarded by {@link #outboxes}' compute. */
    private static final class Outbox {
        CounterSnapshot newest;
        CounterSnapshot sent;
        long sentAt;
        boolean scheduled;
    }
}
