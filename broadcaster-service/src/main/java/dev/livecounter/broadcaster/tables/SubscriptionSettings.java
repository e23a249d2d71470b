package dev.livecounter.broadcaster.tables;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/**
 * Bounds of table subscriptions on a replica (the rate of subscribes per address is in {@code LimitSettings}).
 *
 * @param perSocket      subscriptions one socket may hold at once (default 10)
 * @param bufferChanges  recent changes each table keeps for clients that resume (default 10000)
 * @param bufferAge      ... and for how long at most (default 5m): a client away longer gets a gap and a snapshot
 * @param fence          how long after its snapshot a subscription still drops changes the snapshot already holds
 *                       that reach this replica late (default 60s; the stream's lag is far below)
 * @param peerWait       how long the replica that reads a shard waits for its peers to take a batch before it
 *                       checkpoints the batch (default 2s)
 */
@ConfigurationProperties("livecounter.subscriptions")
public record SubscriptionSettings(
        @Bindable(defaultValue = "10") @Min(1) int perSocket,
        @Bindable(defaultValue = "10000") @Min(1) int bufferChanges,
        @Bindable(defaultValue = "5m") @NotNull Duration bufferAge,
        @Bindable(defaultValue = "60s") @NotNull Duration fence,
        @Bindable(defaultValue = "2s") @NotNull Duration peerWait) {}
