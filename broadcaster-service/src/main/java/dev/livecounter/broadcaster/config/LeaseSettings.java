package dev.livecounter.broadcaster.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/**
 * How often this replica tells connection-service which of its sockets are still open, so that their connection
 * items (TTL 1 day) and their visit markers (the visit window, 30 minutes) do not expire under them. Far below the
 * visit window: a page's visit is then remembered for at least the window minus this interval after it closes.
 *
 * @param renewalInterval between renewals (default 5m); env {@code LIVECOUNTER_LEASES_RENEWAL_INTERVAL}
 */
@ConfigurationProperties("livecounter.leases")
public record LeaseSettings(@Bindable(defaultValue = "5m") @NotNull Duration renewalInterval) {}
