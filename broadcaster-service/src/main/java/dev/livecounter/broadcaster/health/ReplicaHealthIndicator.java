package dev.livecounter.broadcaster.health;

import dev.livecounter.broadcaster.replica.ReplicaRegistry;
import dev.livecounter.broadcaster.session.OpenPages;
import dev.livecounter.broadcaster.stream.StreamStatus;
import dev.livecounter.broadcaster.stream.StreamStatus.TableStream;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.reactivestreams.Publisher;

/**
 * {@code /health}'s {@code replica} entry: this replica's stream consumer (a replica without a lease is fine: KCL
 * gives leases to some replicas only; a failed counters stream is DOWN; each streamed table's stream under
 * {@code tables}, whose failure is shown but does not take the replica's counters out of service), its heartbeat and
 * peers, and its open sockets.
 * Everything it reports is already in memory, so it answers on the calling thread.
 */
@Singleton
public final class ReplicaHealthIndicator implements HealthIndicator {

    private final StreamStatus stream;
    private final ReplicaRegistry registry;
    private final OpenPages pages;

    ReplicaHealthIndicator(StreamStatus stream, ReplicaRegistry registry, OpenPages pages) {
        this.stream = stream;
        this.registry = registry;
        this.pages = pages;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        StreamStatus.Phase phase = stream.phase();
        StreamStatus.Progress progress = stream.progress();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("replicaId", registry.replicaId());
        details.put("state", phase.state().name());
        details.put("detail", phase.detail());
        details.put("recordsProcessed", progress.records());
        details.put("lastBatchAt", String.valueOf(progress.lastBatchAt()));
        details.put("millisBehindLatest", progress.millisBehindLatest());
        Map<String, TableStream> tables = stream.tables();
        if (!tables.isEmpty()) {
            Map<String, Object> streamed = new TreeMap<>();
            tables.forEach((table, t) -> streamed.put(table, Map.of(
                    "state", t.phase().state().name(),
                    "detail", t.phase().detail(),
                    "recordsProcessed", t.records(),
                    "lastBatchAt", String.valueOf(t.lastBatchAt()))));
            details.put("tables", streamed);
        }
        details.put("lastHeartbeat", String.valueOf(registry.lastHeartbeat()));
        details.put("peers", registry.peers().size());
        details.put("sockets", pages.count());
        HealthStatus status = phase.state() == StreamStatus.State.FAILED ? HealthStatus.DOWN : HealthStatus.UP;
        return Publishers.just(HealthResult.builder("replica", status).details(details).build());
    }
}
