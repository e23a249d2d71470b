package dev.livecounter.broadcaster.fanout;

import dev.livecounter.common.model.CounterSnapshot;
import dev.livecounter.common.security.InternalSecretFilter;
import io.micronaut.context.annotation.Value;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Crosses replicas: the replica that reads a change from the stream hands it to its own pages in-process and
 * posts it once to every other live replica (O(replicas), not O(connections)), as API Gateway's
 * postToConnection would, but per replica.
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

    ReplicaFanout(
            LocalFanout local,
            ReplicaRegistry registry,
            @Client HttpClient http,
            @Value("${livecounter.internal.secret:}") String secret,
            MeterRegistry meters) {
        this.local = local;
        this.peerPosts = Timer.builder("livecounter.broadcast.peer.latency")
                .description("time to post one change to one peer replica")
                .publishPercentiles(0.5, 0.99)
                .register(meters);
        this.peerFailures = meters.counter("livecounter.broadcast.peer.failures");
        this.registry = registry;
        this.http = http;
        this.secret = secret;
    }

    public void publish(CounterSnapshot snapshot) {
        local.offer(snapshot);
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
