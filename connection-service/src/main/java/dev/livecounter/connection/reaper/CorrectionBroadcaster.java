package dev.livecounter.connection.reaper;

import static dev.livecounter.common.dynamodb.Schema.ADDRESS;
import static dev.livecounter.common.dynamodb.Schema.HEARTBEAT_AT;

import dev.livecounter.common.dynamodb.TableSettings;
import dev.livecounter.common.model.CounterSnapshot;
import dev.livecounter.common.security.InternalSecretFilter;
import io.micronaut.context.annotation.Value;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import jakarta.inject.Singleton;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Shows the reaper's corrections on every page at once: posts each counter it changed, as it is after the
 * reaping, to every live broadcaster replica's {@code /internal/broadcast} (the endpoint the replicas post each
 * other's changes to), instead of leaving them to the stream, which reaches pages only while some replica holds
 * its lease — and a replica just died, so its lease may be the one moving.
 *
 * <p>The replicas and their addresses come from the replicas table, as the broadcasters find their peers: the
 * reaper has just read it, and posting to each is O(replicas). A failed post is logged; the stream repairs it.
 */
@Singleton
public class CorrectionBroadcaster {

    /** The broadcasters' endpoint for changes made elsewhere (ReplicaFanout.PATH in broadcaster-service). */
    static final String PATH = "/internal/broadcast";

    private static final Logger LOG = LoggerFactory.getLogger(CorrectionBroadcaster.class);

    private final DynamoDbClient dynamoDb;
    private final TableSettings tables;
    private final ReaperSettings settings;
    private final HttpClient http;
    private final String secret;

    CorrectionBroadcaster(
            DynamoDbClient dynamoDb,
            TableSettings tables,
            ReaperSettings settings,
            @Client HttpClient http,
            @Value("${livecounter.internal.secret:}") String secret) {
        this.dynamoDb = dynamoDb;
        this.tables = tables;
        this.settings = settings;
        this.http = http;
        this.secret = secret;
    }

    /** Posts every snapshot to every live replica; returns at once (the posts complete in the background). */
    public void publish(Collection<CounterSnapshot> snapshots) {
        if (snapshots.isEmpty()) {
            return;
        }
        List<URI> replicas;
        try {
            replicas = liveReplicas();
        } catch (RuntimeException e) {
            LOG.warn("Cannot read the live replicas; the stream brings the reaper's corrections: {}", e.toString());
            return;
        }
        for (URI replica : replicas) {
            for (CounterSnapshot snapshot : snapshots) {
                HttpRequest<CounterSnapshot> post = HttpRequest.POST(replica.resolve(PATH), snapshot)
                        .header(InternalSecretFilter.HEADER, secret);
                Mono.from(http.exchange(post)).subscribe(
                        response -> {},
                        error -> LOG.warn("Posting {} v{} to {} failed: {}",
                                snapshot.counter(), snapshot.version(), replica, error.toString()));
            }
        }
    }

    private List<URI> liveReplicas() {
        long oldest = Instant.now().minus(settings.replicaTimeout()).toEpochMilli();
        List<URI> live = new ArrayList<>();
        dynamoDb.scanPaginator(r -> r.tableName(tables.replicas()).consistentRead(true)).items().forEach(item -> {
            var heartbeat = item.get(HEARTBEAT_AT);
            var address = item.get(ADDRESS);
            if (heartbeat != null && address != null && Long.parseLong(heartbeat.n()) >= oldest) {
                live.add(URI.create(address.s()));
            }
        });
        return live;
    }
}
