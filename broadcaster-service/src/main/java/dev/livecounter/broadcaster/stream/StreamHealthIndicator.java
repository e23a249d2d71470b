package dev.livecounter.broadcaster.stream;

import dev.livecounter.broadcaster.fanout.LocalFanout;
import dev.livecounter.broadcaster.fanout.ReplicaRegistry;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The replica's part in the live loop: its stream consumer's state (a replica without a lease is fine: KCL
 * gives leases to some replicas only), its heartbeat and its peers, and how many sockets it holds.
 */
@Singleton
public class StreamHealthIndicator extends AbstractHealthIndicator<Map<String, Object>> {

    private final StreamStatus stream;
    private final ReplicaRegistry registry;
    private final LocalFanout fanout;

    StreamHealthIndicator(StreamStatus stream, ReplicaRegistry registry, LocalFanout fanout) {
        this.stream = stream;
        this.registry = registry;
        this.fanout = fanout;
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
        details.put("sockets", fanout.pageCount());
        healthStatus = stream.state() == StreamStatus.State.FAILED ? HealthStatus.DOWN : HealthStatus.UP;
        return details;
    }

    @Override
    protected String getName() {
        return "liveLoop";
    }
}
