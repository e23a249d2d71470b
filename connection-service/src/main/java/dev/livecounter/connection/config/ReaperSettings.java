package dev.livecounter.connection.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/**
 * The reaper of dead replicas' connections.
 *
 * @param enabled        run it (default true); several connection-service instances may run it at once
 * @param interval       how often it looks for dead replicas (default 1s: a dead replica's sockets leave the
 *                       count about this long after its heartbeat turns stale)
 * @param orphanSweepInterval how often it looks for connections whose replica has no replica item at all
 *                       ({@link OrphanSweeper}; default 1m: such connections leave the count within two sweeps)
 * @param replicaTimeout a broadcaster replica whose heartbeat is older than this is dead (default 10s; the
 *                       broadcasters beat every 2s)
 */
@ConfigurationProperties("livecounter.reaper")
public record ReaperSettings(
        @Bindable(defaultValue = "true") boolean enabled,
        @Bindable(defaultValue = "1s") @NotNull Duration interval,
        @Bindable(defaultValue = "10s") @NotNull Duration replicaTimeout,
        @Bindable(defaultValue = "1m") @NotNull Duration orphanSweepInterval) {}
