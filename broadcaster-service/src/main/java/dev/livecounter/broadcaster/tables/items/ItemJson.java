package dev.livecounter.broadcaster.tables.items;

import io.micronaut.json.tree.JsonNode;
import java.math.BigDecimal;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * DynamoDB items as JSON, both ways, in two shapes.
 *
 * <p><b>Plain</b> is what pages see (the streamed-tables spec): S as a string, N as a JSON number with the exact
 * digits DynamoDB holds, BOOL, NULL as null, M as an object, L/SS/NS as arrays, B and BS as base64. It drops the type
 * names, so it is not lossless: a string set and a list of strings look alike.
 *
 * <p><b>Typed</b> is DynamoDB's own JSON ({@code {"a":{"S":"x"},"n":{"N":"1"}}}), lossless both ways, for passing
 * stream records between replicas.
 *
 * <p>The writers run once per change per subscription group, so they append to a {@link StringBuilder} by hand: no
 * mapper, no reflection, no intermediate tree.
 */
public final class ItemJson {

    /** Deepest nesting of maps and lists DynamoDB stores, and so the deepest either reader accepts. */
    public static final int MAX_DEPTH = 32;

    private ItemJson() {}

    /** The item as plain JSON. */
    public static String plain(Map<String, AttributeValue> item) {
        StringBuilder out = new StringBuilder(64 * item.size() + 2);
        appendPlain(out, item);
        return out.toString();
    }

    /** Appends the item as a plain JSON object, attributes in the map's order. */
    public static void appendPlain(StringBuilder out, Map<String, AttributeValue> item) {
        appendObject(out, item, ItemJson::appendPlainValue);
    }

    /** A plain JSON value as an attribute value: string S, number N, boolean BOOL, null NULL, array L, object M. */
    public static AttributeValue fromPlain(JsonNode node) {
        return PlainDecoder.value(node, 0);
    }

    /** A plain JSON object as an item (or a key, or an image). */
    public static Map<String, AttributeValue> fromPlainObject(JsonNode node) {
        return PlainDecoder.object(node);
    }

    /** The item as DynamoDB typed JSON. */
    public static String typed(Map<String, AttributeValue> item) {
        StringBuilder out = new StringBuilder(80 * item.size() + 2);
        appendObject(out, item, ItemJson::appendTyped);
        return out.toString();
    }

    /** Appends one value as DynamoDB typed JSON, e.g. {@code {"N":"10"}}; unknown types as {@code {"NULL":true}}. */
    public static void appendTyped(StringBuilder out, AttributeValue value) {
        AttributeValue.Type type = value == null ? AttributeValue.Type.UNKNOWN_TO_SDK_VERSION : value.type();
        if (type == AttributeValue.Type.UNKNOWN_TO_SDK_VERSION) {
            out.append("{\"NULL\":true}");
            return;
        }
        out.append("{\"").append(type == AttributeValue.Type.NUL ? "NULL" : type.name()).append("\":");
        switch (type) {
            case S -> JsonText.appendString(out, value.s());
            case N -> JsonText.appendString(out, value.n());
            case B -> appendBase64(out, value.b());
            case BOOL -> out.append(value.bool().booleanValue());
            case NUL -> out.append(true);
            case SS -> appendArray(out, value.ss(), JsonText::appendString);
            case NS -> appendArray(out, value.ns(), JsonText::appendString);
            case BS -> appendArray(out, value.bs(), ItemJson::appendBase64);
            case L -> appendArray(out, value.l(), ItemJson::appendTyped);
            default -> appendObject(out, value.m(), ItemJson::appendTyped);
        }
        out.append('}');
    }

    /** DynamoDB typed JSON back to the item it was written from. */
    public static Map<String, AttributeValue> fromTyped(JsonNode node) {
        return TypedDecoder.item(node);
    }

    private static void appendPlainValue(StringBuilder out, AttributeValue v) {
        switch (v == null ? AttributeValue.Type.UNKNOWN_TO_SDK_VERSION : v.type()) {
            case S -> JsonText.appendString(out, v.s());
            case N -> appendNumber(out, v.n());
            case B -> appendBase64(out, v.b());
            case BOOL -> out.append(v.bool().booleanValue());
            case M -> appendPlain(out, v.m());
            case L -> appendArray(out, v.l(), ItemJson::appendPlainValue);
            case SS -> appendArray(out, v.ss(), JsonText::appendString);
            case NS -> appendArray(out, v.ns(), ItemJson::appendNumber);
            case BS -> appendArray(out, v.bs(), ItemJson::appendBase64);
            default -> out.append("null");
        }
    }

    /**
     * DynamoDB's numbers are valid JSON numbers as it writes them; one that is not (built by hand, say {@code "+1"})
     * is written by value, and one that is no number at all as a string, so the frame stays valid JSON.
     */
    private static void appendNumber(StringBuilder out, String n) {
        if (JsonNumbers.isJsonNumber(n)) {
            out.append(n);
            return;
        }
        try {
            out.append(new BigDecimal(n.strip()));
        } catch (NumberFormatException e) {
            JsonText.appendString(out, n);
        }
    }

    private static void appendBase64(StringBuilder out, SdkBytes bytes) {
        out.append('"').append(Base64.getEncoder().encodeToString(bytes.asByteArrayUnsafe())).append('"');
    }

    /** A list (or set) as a JSON array, each element as {@code element} writes it. */
    private static <T> void appendArray(StringBuilder out, List<T> list, BiConsumer<StringBuilder, T> element) {
        out.append('[');
        for (int i = 0; i < list.size(); i++) {
            element.accept(i > 0 ? out.append(',') : out, list.get(i));
        }
        out.append(']');
    }

    /** A map as a JSON object, in the map's order, each value as {@code value} writes it (plain or typed). */
    private static void appendObject(StringBuilder out, Map<String, AttributeValue> map,
            BiConsumer<StringBuilder, AttributeValue> value) {
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, AttributeValue> e : map.entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            JsonText.appendString(out, e.getKey());
            out.append(':');
            value.accept(out, e.getValue());
        }
        out.append('}');
    }
}
