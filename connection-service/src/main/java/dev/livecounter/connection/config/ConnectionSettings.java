package dev.livecounter.connection.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/**
 * How connections and visits are remembered.
 *
 * @param visitWindow        a page load's visit id is remembered this long after it was last seen connected (its
 *                           broadcaster renews it while the socket is open), so its reconnects are not new visits
 *                           (default 30m); env {@code LIVECOUNTER_CONNECTIONS_VISIT_WINDOW}
 * @param connectionTtl      TTL backstop on a connection item, renewed while its socket is open; the reaper, not
 *                           the TTL, removes connections of dead replicas (default 1d)
 * @param transactionAttempts attempts of a transaction that lost a race on the counter item (default 8)
 * @param tombstoneTtl       a closed connection's id is kept this long, so a connect call that arrives after its
 *                           own disconnect (a slow or restarting service) counts nothing (default 1h)
 * @param connectBatch       connects to one counter that arrive while its previous transaction is under way are
 *                           written together, at most this many per batch, and never more than one transaction
 *                           holds (2 items each, 3 with a new visitor's marker, plus the counter and 3 history
 *                           buckets, within DynamoDB's 100: the lane leaves the rest for the next batch); 1 writes
 *                           every connect alone; also the most disconnects written together (default 49)
 * @param committers         transactions of connect batches under way at once, over all counters (default 8)
 */
@ConfigurationProperties("livecounter.connections")
public record ConnectionSettings(
        @Bindable(defaultValue = "30m") @NotNull Duration visitWindow,
        @Bindable(defaultValue = "1d") @NotNull Duration connectionTtl,
        @Bindable(defaultValue = "8") @Min(1) @Max(50) int transactionAttempts,
        @Bindable(defaultValue = "1h") @NotNull Duration tombstoneTtl,
        @Bindable(defaultValue = "49") @Min(1) @Max(49) int connectBatch,
        @Bindable(defaultValue = "8") @Min(1) @Max(64) int committers) {}
