package dev.livecounter.broadcaster.tables.scope;

import io.micronaut.core.annotation.Nullable;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * What a verified token allows: the tables of its {@code tables} claim, each with its {@link TableScope}. A table the
 * claim does not name is not allowed at all.
 *
 * @param subject   the token's {@code sub}, null when it has none
 * @param expiresAt the token's {@code exp}: its subscriptions end then
 * @param tables    the scope per table name
 */
public record TokenScope(@Nullable String subject, Instant expiresAt, Map<String, TableScope> tables) {

    public TokenScope {
        tables = Map.copyOf(tables);
    }

    /** Whether the token names the table. */
    public boolean allowsTable(String table) {
        return tables.containsKey(table);
    }

    /** Whether one partition of the table (or one item in it) is inside the scope. */
    public boolean allowsPartition(String table, String partitionKeyValue) {
        TableScope scope = tables.get(table);
        return scope != null && scope.allowsPartition(partitionKeyValue);
    }

    /** Whether a subscription to the whole table is inside the scope. */
    public boolean allowsWholeTable(String table) {
        TableScope scope = tables.get(table);
        return scope != null && scope.allowsWholeTable();
    }

    /**
     * The most attributes of the table the holder may see: null when the token does not narrow them (all the table
     * allows), none for a table the token does not name, so a caller that forgot {@link #allowsTable} shows nothing.
     */
    public @Nullable Set<String> attributes(String table) {
        TableScope scope = tables.get(table);
        return scope == null ? Set.of() : scope.attributes();
    }
}
