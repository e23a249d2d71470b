package dev.livecounter.broadcaster.tables;

import dev.livecounter.broadcaster.tables.filter.Condition;
import io.micronaut.core.annotation.Nullable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What a checked subscribe asks for: which items of which table (one item, one partition with an optional sort-key
 * prefix, or all), which of them (the filter) and which of their attributes (the projection, keys included). Its
 * {@link #id} is the same on every replica for the same question, and subscribers with the same id share one
 * evaluation and one encoded frame per change.
 *
 * @param key        the item's whole key (one item), else null
 * @param partition  the partition key's value (one partition), else null
 * @param prefix     with a partition: the sort key's prefix, else null
 */
record Subscription(TableCatalog.Table table, @Nullable Map<String, AttributeValue> key,
        @Nullable AttributeValue partition, @Nullable String prefix, @Nullable Condition filter,
        Set<String> projection, String id) {

    static Subscription of(TableCatalog.Table table, @Nullable Map<String, AttributeValue> key,
            @Nullable AttributeValue partition, @Nullable String prefix, @Nullable Condition filter,
            Set<String> projection) {
        StringBuilder question = new StringBuilder(table.name()).append('\u0001');
        if (key != null) {
            question.append("item\u0001").append(Items.key(key, table.partitionKey(), table.sortKey()));
        } else if (partition != null) {
            question.append("partition\u0001").append(Items.keyPart(partition)).append('\u0001').append(prefix);
        } else {
            question.append("table");
        }
        question.append('\u0001').append(filter == null ? "" : filter.canonical());
        question.append('\u0001').append(new TreeSet<>(projection));
        return new Subscription(table, key, partition, prefix, filter, Set.copyOf(projection), id(question.toString()));
    }

    /** The index this subscription is found by for a change: the item's key, its partition, or the table. */
    String index() {
        if (key != null) {
            return Items.key(key, table.partitionKey(), table.sortKey());
        }
        return partition != null ? Items.keyPart(partition) : "";
    }

    Kind kind() {
        return key != null ? Kind.ITEM : partition != null ? Kind.PARTITION : Kind.TABLE;
    }

    enum Kind {
        ITEM,
        PARTITION,
        TABLE
    }

    /** Whether an item with these keys is one this subscription selects (its index already matched). */
    boolean selects(Map<String, AttributeValue> keys) {
        if (prefix == null) {
            return true;
        }
        AttributeValue sort = keys.get(table.sortKey());
        return sort != null && sort.s() != null && sort.s().startsWith(prefix);
    }

    /** Whether the image is in this subscription's view: selected by the caller, and passing the filter. */
    boolean passes(@Nullable Map<String, AttributeValue> image) {
        return image != null && (filter == null || filter.test(image));
    }

    private static String id(String question) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(question.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(hash).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
