package dev.livecounter.broadcaster.tables;

import dev.livecounter.broadcaster.protocol.WireFrame;
import dev.livecounter.broadcaster.tables.items.ItemJson;
import dev.livecounter.broadcaster.tables.items.JsonText;
import dev.livecounter.common.contract.ErrorCode;
import io.micronaut.core.annotation.Nullable;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The frames of table subscriptions, written by hand: a change's frame is encoded once per subscription group. */
final class TableFrames {

    private TableFrames() {}

    /** {@code {"type":"change","sub":..,"table":..,"event":..,"in":..,"keys":{..},"new":{..},"old":{..},"position":..}} */
    static ByteBuf change(ByteBufAllocator allocator, String sub, String table, TableChange change, boolean in,
            Set<String> projection, String position) {
        StringBuilder out = new StringBuilder(256);
        out.append("{\"type\":\"change\",\"sub\":");
        JsonText.appendString(out, sub);
        out.append(",\"table\":");
        JsonText.appendString(out, table);
        out.append(",\"event\":\"").append(change.event()).append("\",\"in\":").append(in).append(",\"keys\":");
        ItemJson.appendPlain(out, change.keys());
        out.append(",\"new\":");
        appendImage(out, change.newImage(), projection);
        out.append(",\"old\":");
        appendImage(out, change.oldImage(), projection);
        out.append(",\"position\":");
        JsonText.appendString(out, position);
        out.append('}');
        return WireFrame.text(allocator, out.toString());
    }

    /** One page of a snapshot; the last ({@code position} not null) says so and where the stream takes over. */
    static String snapshot(String sub, @Nullable String ref, String table, List<Map<String, AttributeValue>> items,
            Set<String> projection, @Nullable String position) {
        StringBuilder out = new StringBuilder(64 + items.size() * 128);
        out.append("{\"type\":\"snapshot\",\"sub\":");
        JsonText.appendString(out, sub);
        appendRef(out, ref);
        out.append(",\"table\":");
        JsonText.appendString(out, table);
        out.append(",\"items\":[");
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            appendImage(out, items.get(i), projection);
        }
        out.append("],\"done\":").append(position != null);
        if (position != null) {
            out.append(",\"position\":");
            JsonText.appendString(out, position);
        }
        return out.append('}').toString();
    }

    /** {@code {"type":"resumed",..,"missed":n}}: the next n change frames are what the client missed. */
    static String resumed(String sub, @Nullable String ref, String table, int missed) {
        StringBuilder out = new StringBuilder(96);
        out.append("{\"type\":\"resumed\",\"sub\":");
        JsonText.appendString(out, sub);
        appendRef(out, ref);
        out.append(",\"table\":");
        JsonText.appendString(out, table);
        return out.append(",\"missed\":").append(missed).append('}').toString();
    }

    /** {@code {"type":"gap",..}}: changes may be missing; a fresh snapshot follows. */
    static String gap(String sub, String table, String message) {
        return simple("gap", sub, table, "message", message);
    }

    /** {@code {"type":"unsubscribed",..,"reason":..}}: no more frames for this subscription. */
    static String unsubscribed(String sub, String table, String reason) {
        return simple("unsubscribed", sub, table, "reason", reason);
    }

    /** {@code {"type":"error","code":..,"ref":..,"message":..}} about a subscribe or an unsubscribe. */
    static String error(ErrorCode code, @Nullable String ref, String message) {
        StringBuilder out = new StringBuilder(96);
        out.append("{\"type\":\"error\",\"code\":\"").append(code.code()).append('"');
        appendRef(out, ref);
        out.append(",\"message\":");
        JsonText.appendString(out, message);
        return out.append('}').toString();
    }

    private static String simple(String type, String sub, String table, String key, String value) {
        StringBuilder out = new StringBuilder(96);
        out.append("{\"type\":\"").append(type).append("\",\"sub\":");
        JsonText.appendString(out, sub);
        out.append(",\"table\":");
        JsonText.appendString(out, table);
        out.append(",\"").append(key).append("\":");
        JsonText.appendString(out, value);
        return out.append('}').toString();
    }

    private static void appendRef(StringBuilder out, @Nullable String ref) {
        if (ref != null) {
            out.append(",\"ref\":");
            JsonText.appendString(out, ref);
        }
    }

    private static void appendImage(StringBuilder out, @Nullable Map<String, AttributeValue> image, Set<String> projection) {
        if (image == null) {
            out.append("null");
            return;
        }
        Map<String, AttributeValue> shown = new LinkedHashMap<>();
        image.forEach((name, value) -> {
            if (projection.contains(name)) {
                shown.put(name, value);
            }
        });
        ItemJson.appendPlain(out, shown);
    }
}
