package dev.livecounter.broadcaster.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * The broadcaster replica: who it is, where its peers reach it, whom it calls, how it pushes.
 *
 * @param replicaId            this replica's id in the replicas and connections tables (default: a random id;
 *                             the chart uses the pod name); env {@code LIVECOUNTER_BROADCASTER_REPLICA_ID}
 * @param advertisedAddress    base URL other replicas post broadcasts to (default http://127.0.0.1:{port});
 *                             env {@code LIVECOUNTER_BROADCASTER_ADVERTISED_ADDRESS}
 * @param connectionServiceUrl connection-service: one base URL (a Kubernetes Service) or several, comma-separated
 *                             (instances called in turn, a refusing one skipped: {@code client/Failover}); env
 *                             {@code LIVECOUNTER_BROADCASTER_CONNECTION_SERVICE_URL}; the clients take it through
 *                             {@code micronaut.http.services.connection-service.urls} (application.yml)
 * @param counterServiceUrl    counter-service, the same way; env {@code LIVECOUNTER_BROADCASTER_COUNTER_SERVICE_URL}
 * @param coalesceInterval     at most one frame per counter per this interval, always the newest (default 50ms)
 * @param heartbeatInterval    how often this replica renews its item in the replicas table (default 2s)
 * @param replicaTimeout       a replica whose heartbeat is older than this is dead (default 10s)
 * @param allowedOrigins       page origins allowed besides the page's own (e.g. https://blog.example.com);
 *                             {@code *} allows any; env {@code LIVECOUNTER_BROADCASTER_ALLOWED_ORIGINS}
 */
@ConfigurationProperties("livecounter.broadcaster")
public record BroadcasterSettings(
        @Nullable String replicaId,
        @Nullable URI advertisedAddress,
        @NotEmpty List<URI> connectionServiceUrl,
        @NotEmpty List<URI> counterServiceUrl,
        @Bindable(defaultValue = "50ms") @NotNull Duration coalesceInterval,
        @Bindable(defaultValue = "2s") @NotNull Duration heartbeatInterval,
        @Bindable(defaultValue = "10s") @NotNull Duration replicaTimeout,
        @Nullable List<@NotBlank String> allowedOrigins) {

    public BroadcasterSettings {
        allowedOrigins = allowedOrigins == null ? List.of() : List.copyOf(allowedOrigins);
        connectionServiceUrl = connectionServiceUrl == null ? List.of() : List.copyOf(connectionServiceUrl);
        counterServiceUrl = counterServiceUrl == null ? List.of() : List.copyOf(counterServiceUrl);
    }
}
