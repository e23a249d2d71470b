package dev.livecounter.broadcaster.tables;

import dev.livecounter.broadcaster.protocol.ClientMessage;
import dev.livecounter.broadcaster.protocol.ClientMessages.Rejected;
import dev.livecounter.broadcaster.tables.filter.Condition;
import dev.livecounter.broadcaster.tables.filter.FilterException;
import dev.livecounter.broadcaster.tables.items.ItemJson;
import dev.livecounter.broadcaster.tables.scope.TokenScope;
import dev.livecounter.broadcaster.tables.scope.TokenVerifier;
import dev.livecounter.common.contract.ErrorCode;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Turns a subscribe message into a {@link Subscription}, or refuses it with a code and a reason that names what was
 * wrong: the table (streamed or not), the selector against the table's keys, the filter and the projection against
 * the table's allow-list, and the token (signature, time, scope) once, here, not per change.
 */
@Singleton
class SubscribeChecks {

    /** A subscription checked, and until when it may run (its token's expiry; null: no token). */
    record Checked(Subscription subscription, @Nullable Instant expires) {}

    private final TableCatalog catalog;
    private final TokenVerifier tokens;

    SubscribeChecks(TableCatalog catalog, TokenVerifier tokens) {
        this.catalog = catalog;
        this.tokens = tokens;
    }

    Checked check(ClientMessage.Subscribe message) throws Rejected {
        if (message.table() == null) {
            throw new Rejected(ErrorCode.BAD_REQUEST, "a subscribe names its \"table\"");
        }
        TableCatalog.Table table = catalog.table(message.table());
        TokenScope scope = scope(table, message.token());
        Map<String, AttributeValue> key = null;
        AttributeValue partition = null;
        if (message.key() != null && message.partition() != null) {
            throw new Rejected(ErrorCode.BAD_REQUEST, "a subscribe has a \"key\" or a \"partition\", not both");
        }
        if (message.key() != null) {
            key = keyValues(table, message.key(), true);
            if (message.prefix() != null) {
                throw new Rejected(ErrorCode.BAD_REQUEST, "a \"prefix\" goes with a \"partition\", not a \"key\"");
            }
        } else if (message.partition() != null) {
            partition = keyValues(table, message.partition(), false).get(table.partitionKey());
        }
        if (message.prefix() != null && (partition == null || table.sortKey() == null)) {
            throw new Rejected(ErrorCode.BAD_REQUEST, table.sortKey() == null
                    ? "table " + table.name() + " has no sort key for a \"prefix\""
                    : "a \"prefix\" goes with a \"partition\"");
        }
        Set<String> visible = visible(table, scope);
        permit(table, scope, key != null ? key.get(table.partitionKey()) : partition);
        Condition filter = filter(message, visible);
        Set<String> projection = projection(table, message, visible);
        return new Checked(Subscription.of(table, key, partition, message.prefix(), filter, projection),
                scope == null ? null : scope.expiresAt());
    }

    @Nullable
    private TokenScope scope(TableCatalog.Table table, @Nullable String token) throws Rejected {
        if (token == null) {
            if (table.config().access() == StreamedTable.Access.TOKEN) {
                throw new Rejected(ErrorCode.NOT_PERMITTED, "table " + table.name() + " needs a \"token\"");
            }
            return null;
        }
        TokenScope scope = tokens.verify(token);
        if (!scope.allowsTable(table.name())) {
            throw new Rejected(ErrorCode.NOT_PERMITTED, "the token does not name table " + table.name());
        }
        return scope;
    }

    /** The attributes this subscriber may see: the table's allow-list, narrowed by the token; keys always. */
    private static Set<String> visible(TableCatalog.Table table, @Nullable TokenScope scope) {
        Set<String> narrowed = scope == null ? null : scope.attributes(table.name());
        if (narrowed == null) {
            return table.allowed();
        }
        Set<String> visible = new LinkedHashSet<>();
        visible.add(table.partitionKey());
        if (table.sortKey() != null) {
            visible.add(table.sortKey());
        }
        table.allowed().stream().filter(narrowed::contains).forEach(visible::add);
        return visible;
    }

    private static void permit(TableCatalog.Table table, @Nullable TokenScope scope, @Nullable AttributeValue partition)
            throws Rejected {
        if (scope == null) {
            return;
        }
        if (partition == null) {
            if (!scope.allowsWholeTable(table.name())) {
                throw new Rejected(ErrorCode.NOT_PERMITTED, "the token allows only some partitions of " + table.name()
                        + ": subscribe to one of them");
            }
        } else {
            String value = partition.s() != null ? partition.s() : partition.n();
            if (value == null || !scope.allowsPartition(table.name(), value)) {
                throw new Rejected(ErrorCode.NOT_PERMITTED, "the token does not allow that " + table.partitionKey());
            }
        }
    }

    /** The key (or partition) values, with exactly the table's key attributes, each a string, number or binary. */
    private static Map<String, AttributeValue> keyValues(TableCatalog.Table table, Map<String, JsonNode> given,
            boolean whole) throws Rejected {
        Set<String> expected = new TreeSet<>();
        expected.add(table.partitionKey());
        if (whole && table.sortKey() != null) {
            expected.add(table.sortKey());
        }
        if (!new TreeSet<>(given.keySet()).equals(expected)) {
            throw new Rejected(ErrorCode.BAD_ATTRIBUTE, (whole ? "\"key\"" : "\"partition\"") + " of table "
                    + table.name() + " names exactly " + expected);
        }
        Map<String, AttributeValue> values = new HashMap<>();
        for (var entry : given.entrySet()) {
            AttributeValue value = plain(entry.getValue(), entry.getKey());
            if (value.s() == null && value.n() == null) {
                throw new Rejected(ErrorCode.BAD_REQUEST, entry.getKey() + ": a key is a string or a number");
            }
            values.put(entry.getKey(), value);
        }
        return values;
    }

    @Nullable
    private static Condition filter(ClientMessage.Subscribe message, Set<String> visible) throws Rejected {
        if (message.filter() == null) {
            if (message.names() != null || message.values() != null) {
                throw new Rejected(ErrorCode.BAD_FILTER, "\"names\" and \"values\" go with a \"filter\"");
            }
            return null;
        }
        Map<String, AttributeValue> values = new HashMap<>();
        if (message.values() != null) {
            for (var entry : message.values().entrySet()) {
                values.put(entry.getKey(), plain(entry.getValue(), entry.getKey()));
            }
        }
        Condition filter;
        try {
            filter = Condition.parse(message.filter(), message.names() == null ? Map.of() : message.names(), values);
        } catch (FilterException bad) {
            throw new Rejected(ErrorCode.BAD_FILTER, "filter: " + bad.getMessage());
        }
        for (String attribute : filter.attributes()) {
            if (!visible.contains(attribute)) {
                throw new Rejected(ErrorCode.BAD_FILTER, "filter: " + attribute + " is not an attribute you may read");
            }
        }
        return filter;
    }

    private static Set<String> projection(TableCatalog.Table table, ClientMessage.Subscribe message, Set<String> visible)
            throws Rejected {
        if (message.attributes() == null) {
            return visible;
        }
        if (message.attributes().size() > 100) {
            throw new Rejected(ErrorCode.BAD_ATTRIBUTE, "\"attributes\" names at most 100");
        }
        Set<String> projection = new LinkedHashSet<>();
        projection.add(table.partitionKey());
        if (table.sortKey() != null) {
            projection.add(table.sortKey());
        }
        for (String attribute : message.attributes()) {
            if (!visible.contains(attribute)) {
                throw new Rejected(table.allowed().contains(attribute) ? ErrorCode.NOT_PERMITTED : ErrorCode.BAD_ATTRIBUTE,
                        (attribute == null ? "null" : attribute) + " is not an attribute you may read"
                                + (table.allowed().contains(attribute) ? " with this token" : " in " + table.name()));
            }
            projection.add(attribute);
        }
        return projection;
    }

    private static AttributeValue plain(JsonNode node, String name) throws Rejected {
        try {
            return ItemJson.fromPlain(node);
        } catch (IllegalArgumentException bad) {
            throw new Rejected(ErrorCode.BAD_REQUEST, name + ": " + bad.getMessage());
        }
    }
}
