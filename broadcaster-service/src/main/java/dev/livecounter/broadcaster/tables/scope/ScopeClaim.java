package dev.livecounter.broadcaster.tables.scope;

import dev.livecounter.broadcaster.protocol.ClientMessages.Rejected;
import dev.livecounter.common.contract.ErrorCode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the {@code tables} claim: {@code {"<table>": {"keys": [...], "prefixes": [...], "attributes": [...]}}}. It is
 * read strictly: a member it does not know is refused rather than skipped, since a misspelt {@code "key"} skipped
 * would leave neither keys nor prefixes, and so open the whole table.
 */
final class ScopeClaim {

    static final String NAME = "tables";

    /** The most values one list may hold: a scope is a handful of partitions, not a table's worth. */
    static final int MAX_LIST = 100;

    private static final Set<String> MEMBERS = Set.of("keys", "prefixes", "attributes");

    private ScopeClaim() {}

    /** The scope per table; none when the claim is absent. */
    static Map<String, TableScope> tables(Object claim) throws Rejected {
        if (claim == null) {
            return Map.of();
        }
        if (!(claim instanceof Map<?, ?> tables)) {
            throw malformed(NAME, "an object of table names");
        }
        Map<String, TableScope> scopes = new LinkedHashMap<>();
        for (Map.Entry<?, ?> table : tables.entrySet()) {
            String path = NAME + "." + table.getKey();
            if (!(table.getValue() instanceof Map<?, ?> scope)) {
                throw malformed(path, "an object");
            }
            for (Object member : scope.keySet()) {
                if (!MEMBERS.contains(member)) {
                    throw malformed(path, "an object of keys, prefixes and attributes only");
                }
            }
            scopes.put((String) table.getKey(), new TableScope(
                    set(strings(path + ".keys", scope.get("keys"))),
                    strings(path + ".prefixes", scope.get("prefixes")),
                    set(strings(path + ".attributes", scope.get("attributes")))));
        }
        return scopes;
    }

    private static List<String> strings(String path, Object value) throws Rejected {
        if (value == null) {
            return null;
        }
        if (!(value instanceof List<?> list) || list.size() > MAX_LIST) {
            throw malformed(path, "a list of at most " + MAX_LIST + " strings");
        }
        List<String> strings = new ArrayList<>(list.size());
        for (Object item : list) {
            if (!(item instanceof String string)) {
                throw malformed(path, "a list of at most " + MAX_LIST + " strings");
            }
            strings.add(string);
        }
        return strings;
    }

    private static Set<String> set(List<String> strings) {
        return strings == null ? null : Set.copyOf(strings);
    }

    private static Rejected malformed(String path, String shape) {
        return new Rejected(ErrorCode.BAD_TOKEN, "the token's " + path + " claim must be " + shape);
    }
}
