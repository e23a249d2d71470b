package dev.livecounter.common.counters;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/**
 * When counters come into being and when they go. Without an allow-list every valid name is served, and every name a
 * socket opened left a counters item for good: a stranger created 171 in two seconds within the per-client limits.
 * Now a name that is not a counter yet takes one from a cluster-wide budget per minute (past it, its sockets are
 * refused with {@code counter_limit} before anything is written), and every write renews the counter's expiry, so a
 * counter nobody uses is deleted by DynamoDB's TTL.
 *
 * @param newPerMinute counters pages may create per minute, over the whole install (default 30; 0: no limit); with
 *                     an allow-list ({@code livecounter.counters.allowed}) the list alone decides;
 *                     env {@code LIVECOUNTER_COUNTERS_NEW_PER_MINUTE}
 * @param newPerMinutePerAddress of those, how many one client address may create a minute (default 3), so that one
 *                     stranger cannot use up the budget and lock everyone else's new counters out; 0: no share, only
 *                     the install's budget; env {@code LIVECOUNTER_COUNTERS_NEW_PER_MINUTE_PER_ADDRESS}
 * @param expireAfter  a counter not written (no connect, no press) for this long is deleted by the table's TTL
 *                     (default 30d); env {@code LIVECOUNTER_COUNTERS_EXPIRE_AFTER}
 */
@ConfigurationProperties("livecounter.counters")
public record CounterLifecycleSettings(
        @Bindable(defaultValue = "30") @Min(0) int newPerMinute,
        @Bindable(defaultValue = "3") @Min(0) int newPerMinutePerAddress,
        @Bindable(defaultValue = "30d") @NotNull Duration expireAfter) {

    /** The TTL attribute's value (epoch seconds) for a counter written now. */
    public long expiresAt(java.time.Instant now) {
        return now.plus(expireAfter).getEpochSecond();
    }
}
