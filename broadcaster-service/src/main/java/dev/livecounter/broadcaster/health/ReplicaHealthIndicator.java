package dev.livecounter.broadcaster.health;

import dev.livecounter.broadcaster.replica.ReplicaRegistry;
import dev.livecounter.broadcaster.session.OpenPages;
import dev.livecounter.broadcaster.stream.StreamStatus;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /health}'s {@code replica} entry: this replica's stream consumer (a replica without a lease is fine: KCL
 * gives leases to some replicas only; a failed consumer is DOWN), its heartbeat and peers, and its open sockets.
 */
@Singleton
public class ReplicaHealthIndicator extends AbstractHealthIndicator<Map<String, Object>> {

    private final StreamStatus stream;
    private final ReplicaRegistry registry;
    private final OpenPages pages;

    ReplicaHealthIndicator(StreamStatus stream, ReplicaRegistry registry, OpenPages pages) {
        this.stream = stream;
        this.registry = registry;
        this.pages = pages;
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("replicaId", registry.replicaId());
        details.put("state", stream.state().name());
        details.put("detail", stream.detail());
        details.put("recordsProcessed", stream.recordsProcessed());
        details.put("lastBatchAt", String.valueOf(stream.lastBatchAt()));
        details.put("millisBehindLatest", stream.millisBehindLatest());
        details.put("lastHeartbeat", String.valueOf(registry.lastHeartbeat()));
        details.put("peers", registry.peers().size());
        details.put("sockets", pages.count());
        healthStatus = stream.state() == StreamStatus.State.FAILED ? HealthStatus.DOWN : HealthStatus.UP;
        return details;
    }

    @Override
    protected String getName() {
        return "replica";
    }
}
