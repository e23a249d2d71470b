package dev.livecounter.broadcaster.tables.items;

import io.micronaut.json.tree.JsonNode;
import java.math.BigDecimal;
import java.util.Base64;
import java.util.List;
import java.util.Map;
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
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            JsonText.appendString(out, e.getKey());
            out.append(':');
            appendPlainValue(out, e.getValue());
        }
        out.append('}');
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
        appendTypedObject(out, item);
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
            case SS -> appendStrings(out, value.ss());
            case NS -> appendStrings(out, value.ns());
            case BS -> appendBinaries(out, value.bs());
            case L -> appendTypedList(out, value.l());
            default -> appendTypedObject(out, value.m());
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
            case L -> {
                out.append('[');
                for (int i = 0; i < v.l().size(); i++) {
                    appendPlainValue(i > 0 ? out.append(',') : out, v.l().get(i));
                }
                out.append(']');
            }
            case SS -> appendStrings(out, v.ss());
            case NS -> {
                out.append('[');
                for (int i = 0; i < v.ns().size(); i++) {
                    appendNumber(i > 0 ? out.append(',') : out, v.ns().get(i));
                }
                out.append(']');
            }
            case BS -> appendBinaries(out, v.bs());
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

    private static void appendStrings(StringBuilder out, List<String> strings) {
        out.append('[');
        for (int i = 0; i < strings.size(); i++) {
            JsonText.appendString(i > 0 ? out.append(',') : out, strings.get(i));
        }
        out.append(']');
    }

    private static void appendBinaries(StringBuilder out, List<SdkBytes> binaries) {
        out.append('[');
        for (int i = 0; i < binaries.size(); i++) {
            appendBase64(i > 0 ? out.append(',') : out, binaries.get(i));
        }
        out.append(']');
    }

    private static void appendTypedList(StringBuilder out, List<AttributeValue> list) {
        out.append('[');
        for (int i = 0; i < list.size(); i++) {
            appendTyped(i > 0 ? out.append(',') : out, list.get(i));
        }
        out.append(']');
    }

    private static void appendTypedObject(StringBuilder out, Map<String, AttributeValue> map) {
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, AttributeValue> e : map.entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            JsonText.appendString(out, e.getKey());
            out.append(':');
            appendTyped(out, e.getValue());
        }
        out.append('}');
    }
}
