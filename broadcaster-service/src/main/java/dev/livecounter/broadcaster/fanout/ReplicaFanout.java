package dev.livecounter.broadcaster.fanout;

import dev.livecounter.common.model.CounterSnapshot;
import dev.livecounter.common.security.InternalSecretFilter;
import io.micronaut.context.annotation.Value;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import jakarta.inject.Singleton;
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

    ReplicaFanout(
            LocalFanout local,
            ReplicaRegistry registry,
            @Client HttpClient http,
            @Value("${livecounter.internal.secret:}") String secret) {
        this.local = local;
        this.registry = registry;
        this.http = http;
        this.secret = secret;
    }

    public void publish(CounterSnapshot snapshot) {
        local.offer(snapshot);
        for (ReplicaRegistry.Replica peer : registry.peers()) {
            HttpRequest<CounterSnapshot> post = HttpRequest.POST(peer.address().resolve(PATH), snapshot)
                    .header(InternalSecretFilter.HEADER, secret);
            Mono.from(http.exchange(post))
                    .subscribe(
                            response -> {},
                            error -> LOG.warn(
                                    "Broadcast of {} v{} to replica {} failed: {}",
                                    snapshot.counter(), snapshot.version(), peer.replicaId(), error.toString()));
        }
    }
}
