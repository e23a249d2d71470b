package dev.livecounter.connection.broadcast;

import dev.livecounter.common.model.CounterSnapshot;
import dev.livecounter.common.security.InternalSecretFilter;
import io.micronaut.context.annotation.Value;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.net.URI;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Shows connection-service's changes on every page at once: each counter a connect, a disconnect or the reaper
 * changed goes, as the write left it (version included), to every live broadcaster replica's
 * {@code /internal/broadcast}, the endpoint the replicas post each other's presses to. Not through the stream:
 * that reaches pages only while some replica holds its lease, which takes a while on a fresh start and moves for
 * seconds when its holder dies. Per counter at most one post per {@link BroadcastSettings#coalesceInterval()},
 * always the newest, so a storm of connects costs a few posts. A failed post is logged; the stream repairs it.
 */
@Singleton
public class ChangePublisher {

    /** The broadcasters' endpoint for changes (ReplicaFanout.PATH in broadcaster-service). */
    static final String PATH = "/internal/broadcast";

    private static final Logger LOG = LoggerFactory.getLogger(ChangePublisher.class);

    private final LiveReplicas replicas;
    private final BroadcastSettings settings;
    private final HttpClient http;
    private final String secret;
    private final long intervalNanos;
    /** Counters with a change posted within the last interval; guarded by the map's compute. */
    private final ConcurrentHashMap<String, Outbox> outboxes = new ConcurrentHashMap<>();
    private final ScheduledExecutorService poster = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "change-poster");
        thread.setDaemon(true);
        return thread;
    });

    ChangePublisher(
            LiveReplicas replicas,
            BroadcastSettings settings,
            @Client HttpClient http,
            @Value("${livecounter.internal.secret:}") String secret) {
        this.replicas = replicas;
        this.settings = settings;
        this.http = http;
        this.secret = secret;
        this.intervalNanos = settings.coalesceInterval().toNanos();
    }

    /** A counter as a write of this service left it; posted at once, or with the next post of its counter. */
    public void publish(CounterSnapshot snapshot) {
        if (!settings.enabled() || snapshot == null) {
            return;
        }
        outboxes.compute(snapshot.counter(), (counter, box) -> {
            Outbox outbox = box == null ? new Outbox() : box;
            if (snapshot.isNewerThan(outbox.newest)) {
                outbox.newest = snapshot;
                if (!outbox.scheduled) {
                    outbox.scheduled = true;
                    long wait = outbox.sent == null ? 0 : Math.max(0, outbox.sentAt + intervalNanos - System.nanoTime());
                    schedule(counter, wait);
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
            post(due[0]);
        }
    }

    private void schedule(String counter, long delayNanos) {
        try {
            poster.schedule(() -> flush(counter), delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException shuttingDown) {
            // the stream brings the change
        }
    }

    private void post(CounterSnapshot snapshot) {
        for (URI replica : replicas.addresses()) {
            HttpRequest<CounterSnapshot> post = HttpRequest.POST(replica.resolve(PATH), snapshot)
                    .header(InternalSecretFilter.HEADER, secret);
            Mono.from(http.exchange(post)).subscribe(
                    response -> {},
                    error -> LOG.warn("Posting {} v{} to {} failed: {}",
                            snapshot.counter(), snapshot.version(), replica, error.toString()));
        }
    }

    @PreDestroy
    void stop() {
        poster.shutdownNow();
    }

    private static final class Outbox {
        CounterSnapshot newest;
        CounterSnapshot sent;
        long sentAt;
        boolean scheduled;
    }
}
