package dev.livecounter.broadcaster.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/**
 * Consumption of the counters table's stream through KCL and the DynamoDB Streams Kinesis adapter.
 *
 * @param enabled            consume the stream at all (default true)
 * @param pollInterval       idle time between reads of a shard; about the median change-to-page latency. AWS
 *                           allows a few reads per second per shard (default 200ms); env {@code LIVECOUNTER_STREAM_POLL_INTERVAL}
 * @param failoverTime       a lease not renewed for this long moves to another replica (default 3s)
 * @param leaderLeaseDuration KCL leader lock duration (default 10s)
 * @param leaderHeartbeat    KCL leader lock heartbeat (default 2s)
 * @param leaseAssignmentInterval how often KCL's leader assigns unowned leases (default 1s; KCL's own is twice
 *                           the failover time): a replica's first lease waits for the next pass
 * @param leaseIndexWait     on start, how long to wait for a new lease-table index to become active before
 *                           leaving the rest of the wait to KCL (default 60s)
 */
@ConfigurationProperties("livecounter.stream")
public record StreamSettings(
        @Bindable(defaultValue = "true") boolean enabled,
        @Bindable(defaultValue = "200ms") @NotNull Duration pollInterval,
        @Bindable(defaultValue = "3s") @NotNull Duration failoverTime,
        @Bindable(defaultValue = "10s") @NotNull Duration leaderLeaseDuration,
        @Bindable(defaultValue = "2s") @NotNull Duration leaderHeartbeat,
        @Bindable(defaultValue = "1s") @NotNull Duration leaseAssignmentInterval,
        @Bindable(defaultValue = "60s") @NotNull Duration leaseIndexWait) {}
