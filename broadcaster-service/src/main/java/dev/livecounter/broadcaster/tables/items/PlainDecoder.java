package dev.livecounter.broadcaster.tables.items;

import io.micronaut.json.tree.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Plain JSON from a client (keys, filter values) into attribute values; refuses what DynamoDB could not store. */
final class PlainDecoder {

    private PlainDecoder() {}

    static Map<String, AttributeValue> object(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("expected a JSON object");
        }
        return members(node, 0);
    }

    /** {@code depth} is how many maps and lists enclose {@code node}. */
    static AttributeValue value(JsonNode node, int depth) {
        if (node == null || node.isNull()) {
            return AttributeValue.fromNul(true);
        }
        if (node.isString()) {
            return AttributeValue.fromS(node.getStringValue());
        }
        if (node.isNumber()) {
            return AttributeValue.fromN(JsonNumbers.dynamoNumber(node.getNumberValue()));
        }
        if (node.isBoolean()) {
            return AttributeValue.fromBool(node.getBooleanValue());
        }
        if (depth == ItemJson.MAX_DEPTH) {
            throw new IllegalArgumentException("value nested deeper than " + ItemJson.MAX_DEPTH + " levels");
        }
        if (node.isArray()) {
            List<AttributeValue> list = new ArrayList<>(node.size());
            for (JsonNode element : node.values()) {
                list.add(value(element, depth + 1));
            }
            return AttributeValue.fromL(list);
        }
        if (node.isObject()) {
            return AttributeValue.fromM(members(node, depth + 1));
        }
        throw new IllegalArgumentException("unsupported JSON value");
    }

    private static Map<String, AttributeValue> members(JsonNode node, int depth) {
        Map<String, AttributeValue> map = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.entries()) {
            map.put(e.getKey(), value(e.getValue(), depth));
        }
        return map;
    }
}
