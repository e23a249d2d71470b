package dev.livecounter.connection.broadcast;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/**
 * How connection-service shows its changes on the pages: it posts each counter it changed, as the write left it,
 * to every live broadcaster replica.
 *
 * @param enabled         post at all (default true); without it only the stream brings connects and disconnects
 *                        to other replicas' pages; env {@code LIVECOUNTER_BROADCAST_ENABLED}
 * @param coalesceInterval at most one post per counter per replica per this interval, always the newest
 *                        (default 50ms, the broadcasters' own frame interval)
 * @param replicasRefresh how often the live replicas are re-read from the replicas table (default 1s): a replica
 *                        that has just started gets posts at most this much later; env
 *                        {@code LIVECOUNTER_BROADCAST_REPLICAS_REFRESH}. Which replicas are live is the reaper's
 *                        {@code replicaTimeout}: one timeout decides both.
 */
@ConfigurationProperties("livecounter.broadcast")
public record BroadcastSettings(
        @Bindable(defaultValue = "true") boolean enabled,
        @Bindable(defaultValue = "50ms") @NotNull Duration coalesceInterval,
        @Bindable(defaultValue = "1s") @NotNull Duration replicasRefresh) {}
