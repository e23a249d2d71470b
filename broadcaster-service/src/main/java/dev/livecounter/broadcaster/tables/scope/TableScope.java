package dev.livecounter.broadcaster.tables.scope;

import io.micronaut.core.annotation.Nullable;
import java.util.List;
import java.util.Set;

/**
 * What a token lets its holder read of one table. An absent list is not an empty one: {@code "keys": []} allows no
 * partition, while no {@code keys} and no {@code prefixes} allow the whole table.
 *
 * @param keys       partition-key values allowed exactly; null when the claim has none
 * @param prefixes   partition-key value prefixes allowed; null when the claim has none
 * @param attributes the most attributes the holder may see (the table's allow-list still applies); null: all the
 *                   table allows
 */
public record TableScope(
        @Nullable Set<String> keys, @Nullable List<String> prefixes, @Nullable Set<String> attributes) {

    public TableScope {
        keys = keys == null ? null : Set.copyOf(keys);
        prefixes = prefixes == null ? null : List.copyOf(prefixes);
        attributes = attributes == null ? null : Set.copyOf(attributes);
    }

    /** Whether the partition with this partition-key value is inside the scope. */
    public boolean allowsPartition(String partitionKeyValue) {
        if (allowsWholeTable()) {
            return true;
        }
        return (keys != null && keys.contains(partitionKeyValue))
                || (prefixes != null && prefixes.stream().anyMatch(partitionKeyValue::startsWith));
    }

    /** Whether a subscription to the whole table is inside the scope: only when neither keys nor prefixes narrow it. */
    public boolean allowsWholeTable() {
        return keys == null && prefixes == null;
    }
}
