package dev.livecounter.connection.reconcile;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/**
 * The reconciler of counts ({@link CountReconciler}).
 *
 * @param enabled run it (default true); several connection-service instances may run it at once: its conditional
 *                write keeps two from correcting one drift twice; env {@code LIVECOUNTER_RECONCILE_ENABLED}
 * @param period  how often it compares each counter's {@code online} with its live connections (default 1m): a
 *                drift is corrected about two periods after the counter's last change; each round scans the
 *                counters table and the {@code byReplica} index once; env {@code LIVECOUNTER_RECONCILE_PERIOD}
 */
@ConfigurationProperties("livecounter.reconcile")
public record ReconcileSettings(
        @Bindable(defaultValue = "true") boolean enabled,
        @Bindable(defaultValue = "1m") @NotNull Duration period) {}
