package dev.livecounter.broadcaster.tables;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** What subscriptions compare items by: their keys as one string, and a digest of a whole image. */
final class Items {

    private Items() {}

    /** A key attribute's value as text, the same however the number was written ({@code 1.0} and {@code 1}). */
    static String keyPart(AttributeValue value) {
        if (value.s() != null) {
            return "S" + value.s();
        }
        if (value.n() != null) {
            return "N" + new BigDecimal(value.n()).stripTrailingZeros().toPlainString();
        }
        if (value.b() != null) {
            return "B" + Base64.getEncoder().encodeToString(value.b().asByteArray());
        }
        return "?" + value;
    }

    /** The item's primary key as one string: the index subscriptions of one item are found by. */
    static String key(Map<String, AttributeValue> keys, String partitionKey, String sortKey) {
        String partition = keyPart(keys.get(partitionKey));
        return sortKey == null ? partition : partition + '\u0000' + keyPart(keys.get(sortKey));
    }

    /**
     * A digest of a whole image, equal for equal items however their sets are ordered or numbers written, so an
     * image read by a query can be matched with one a stream record carries. Null for no item.
     */
    static String digest(Map<String, AttributeValue> image) {
        if (image == null) {
            return null;
        }
        StringBuilder canonical = new StringBuilder(256);
        appendMap(canonical, image);
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().withoutPadding().encodeToString(hash).substring(0, 22);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void appendMap(StringBuilder out, Map<String, AttributeValue> map) {
        out.append('{');
        new TreeMap<>(map).forEach((name, value) -> {
            out.append(name.length()).append(':').append(name);
            append(out, value);
        });
        out.append('}');
    }

    private static void append(StringBuilder out, AttributeValue value) {
        if (value.s() != null) {
            out.append("S").append(value.s().length()).append(':').append(value.s());
        } else if (value.n() != null) {
            out.append("N").append(keyPart(value));
        } else if (value.b() != null) {
            out.append(keyPart(value));
        } else if (value.bool() != null) {
            out.append(value.bool() ? "T" : "F");
        } else if (Boolean.TRUE.equals(value.nul())) {
            out.append('0');
        } else if (value.hasM()) {
            out.append('M');
            appendMap(out, value.m());
        } else if (value.hasL()) {
            out.append('L').append(value.l().size()).append('[');
            value.l().forEach(element -> append(out, element));
            out.append(']');
        } else if (value.hasSs()) {
            out.append("SS").append(sorted(value.ss().stream().map(s -> s.length() + ":" + s).toList()));
        } else if (value.hasNs()) {
            out.append("NS").append(sorted(value.ns().stream().map(n -> keyPart(AttributeValue.fromN(n))).toList()));
        } else if (value.hasBs()) {
            out.append("BS").append(sorted(value.bs().stream().map(b -> keyPart(AttributeValue.fromB(b))).toList()));
        } else {
            out.append('?');
        }
    }

    private static String sorted(List<String> parts) {
        List<String> copy = new ArrayList<>(parts);
        copy.sort(null);
        return copy.toString();
    }
}
