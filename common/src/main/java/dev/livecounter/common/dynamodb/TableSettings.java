package dev.livecounter.common.dynamodb;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * Names of the DynamoDB tables, one prefix per install so several installs can share an account.
 *
 * @param prefix prepended to every table name (default {@code live-counter-}); env {@code LIVECOUNTER_TABLES_PREFIX}
 * @param create create missing tables at start-up (default false; true for DynamoDB Local and dev clusters);
 *               env {@code LIVECOUNTER_TABLES_CREATE}
 */
@ConfigurationProperties("livecounter.tables")
public record TableSettings(
        @Bindable(defaultValue = "live-counter-")
                @NotNull
                @Pattern(regexp = "[A-Za-z0-9_.-]{0,200}", message = "may only hold letters, digits, '_', '.', '-'")
                String prefix,
        @Bindable(defaultValue = "false") boolean create) {

    /** Counters: key {@code name}; stream NEW_AND_OLD_IMAGES. */
    public String counters() {
        return prefix + "counters";
    }

    /** Connections (and remembered visit ids): key {@code connectionId}; index by {@code replicaId}. */
    public String connections() {
        return prefix + "connections";
    }

    /** Visits over time (buckets per minute, hour, day) and visitor markers: see connection-service's {@code HistoryTable}. */
    public String history() {
        return prefix + "history";
    }

    /** The press ids counter-service remembers (see its {@code PressTable}): key {@code press}. */
    public String presses() {
        return prefix + "presses";
    }

    /** Live broadcaster replicas: key {@code replicaId}. */
    public String replicas() {
        return prefix + "replicas";
    }

    /** KCL application name: KCL names its lease table after it and creates it itself. */
    public String streamApplication() {
        return prefix + "broadcaster";
    }
}
