package dev.livecounter.broadcaster.tables.items;

import io.micronaut.json.tree.JsonNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * DynamoDB typed JSON into attribute values, exactly as {@link ItemJson#appendTyped} wrote them: N keeps its text,
 * sets keep their order, so a stream record posted from another replica is the record that replica read.
 */
final class TypedDecoder {

    private TypedDecoder() {}

    static Map<String, AttributeValue> item(JsonNode node) {
        return members(node, 0);
    }

    private static AttributeValue value(JsonNode node, int depth) {
        if (node == null || !node.isObject() || node.size() != 1) {
            throw new IllegalArgumentException("expected an object with one type name, like {\"S\":\"x\"}");
        }
        Map.Entry<String, JsonNode> only = node.entries().iterator().next();
        JsonNode v = only.getValue();
        return switch (only.getKey()) {
            case "S" -> AttributeValue.fromS(string(v));
            case "N" -> AttributeValue.fromN(string(v));
            case "B" -> AttributeValue.fromB(binary(v));
            case "BOOL" -> AttributeValue.fromBool(bool(v));
            case "NULL" -> {
                if (!bool(v)) {
                    throw new IllegalArgumentException("NULL must be true");
                }
                yield AttributeValue.fromNul(true);
            }
            case "SS" -> AttributeValue.fromSs(list(v, TypedDecoder::string));
            case "NS" -> AttributeValue.fromNs(list(v, TypedDecoder::string));
            case "BS" -> AttributeValue.fromBs(list(v, TypedDecoder::binary));
            case "L" -> AttributeValue.fromL(list(v, element -> value(element, nested(depth))));
            case "M" -> AttributeValue.fromM(members(v, nested(depth)));
            default -> throw new IllegalArgumentException("unknown type name " + only.getKey());
        };
    }

    private static Map<String, AttributeValue> members(JsonNode node, int depth) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("expected a JSON object");
        }
        Map<String, AttributeValue> map = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.entries()) {
            map.put(e.getKey(), value(e.getValue(), depth));
        }
        return map;
    }

    private static int nested(int depth) {
        if (depth == ItemJson.MAX_DEPTH) {
            throw new IllegalArgumentException("value nested deeper than " + ItemJson.MAX_DEPTH + " levels");
        }
        return depth + 1;
    }

    private static <T> List<T> list(JsonNode node, Function<JsonNode, T> element) {
        if (node == null || !node.isArray()) {
            throw new IllegalArgumentException("expected a JSON array");
        }
        List<T> list = new ArrayList<>(node.size());
        for (JsonNode member : node.values()) {
            list.add(element.apply(member));
        }
        return list;
    }

    private static String string(JsonNode node) {
        if (node == null || !node.isString()) {
            throw new IllegalArgumentException("expected a JSON string");
        }
        return node.getStringValue();
    }

    private static boolean bool(JsonNode node) {
        if (node == null || !node.isBoolean()) {
            throw new IllegalArgumentException("expected true or false");
        }
        return node.getBooleanValue();
    }

    /** Base64.Decoder's own IllegalArgumentException names the bad character. */
    private static SdkBytes binary(JsonNode node) {
        return SdkBytes.fromByteArray(Base64.getDecoder().decode(string(node)));
    }
}
