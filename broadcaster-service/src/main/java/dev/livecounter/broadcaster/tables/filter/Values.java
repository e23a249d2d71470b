package dev.livecounter.broadcaster.tables.filter;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue.Type;

/**
 * DynamoDB's rules for comparing attribute values: numbers by value, strings and binaries by their bytes, and values of
 * different types never equal nor ordered. Every method takes null for "no value" and never throws: an item's number
 * that does not parse simply compares as nothing.
 */
final class Values {

    /** What {@link #compare} answers for values that have no order between them. */
    static final int UNORDERED = Integer.MIN_VALUE;

    private Values() {}

    static boolean equal(AttributeValue a, AttributeValue b) {
        if (a == null || b == null || a.type() != b.type()) {
            return false;
        }
        return switch (a.type()) {
            case S -> a.s().equals(b.s());
            case B -> a.b().equals(b.b());
            case BOOL -> a.bool().equals(b.bool());
            case NUL -> true;
            case N -> compare(a, b) == 0;
            case SS -> new HashSet<>(a.ss()).equals(new HashSet<>(b.ss()));
            case BS -> new HashSet<>(a.bs()).equals(new HashSet<>(b.bs()));
            case NS -> numberSetsEqual(a.ns(), b.ns());
            case L -> listsEqual(a.l(), b.l());
            case M -> mapsEqual(a.m(), b.m());
            default -> false;
        };
    }

    /** The order of two strings, numbers or binaries of the same type, else {@link #UNORDERED}. */
    static int compare(AttributeValue a, AttributeValue b) {
        if (a == null || b == null || a.type() != b.type()) {
            return UNORDERED;
        }
        switch (a.type()) {
            case S:
                return Integer.signum(compareCodePoints(a.s(), b.s()));
            case N:
                BigDecimal x = number(a.n());
                BigDecimal y = number(b.n());
                return x == null || y == null ? UNORDERED : x.compareTo(y);
            case B:
                return Integer.signum(compareUnsigned(a.b(), b.b()));
            default:
                return UNORDERED;
        }
    }

    /** UTF-8 byte length of a string, bytes of a binary, entries of a set, list or map; null for other types. */
    static AttributeValue size(AttributeValue v) {
        if (v == null) {
            return null;
        }
        Integer size = switch (v.type()) {
            case S -> utf8Length(v.s());
            case B -> v.b().asByteArrayUnsafe().length;
            case SS -> v.ss().size();
            case NS -> v.ns().size();
            case BS -> v.bs().size();
            case L -> v.l().size();
            case M -> v.m().size();
            default -> null;
        };
        return size == null ? null : AttributeValue.fromN(Integer.toString(size));
    }

    /** A substring of a string, a byte run of a binary, an element of a set or a list. */
    static boolean contains(AttributeValue haystack, AttributeValue needle) {
        if (haystack == null || needle == null) {
            return false;
        }
        Type want = needle.type();
        return switch (haystack.type()) {
            case S -> want == Type.S && haystack.s().contains(needle.s());
            case B -> want == Type.B && indexOf(haystack.b().asByteArrayUnsafe(), needle.b().asByteArrayUnsafe());
            case SS -> want == Type.S && haystack.ss().contains(needle.s());
            case BS -> want == Type.B && haystack.bs().contains(needle.b());
            case NS -> want == Type.N && haystack.ns().stream().anyMatch(n -> equal(AttributeValue.fromN(n), needle));
            case L -> haystack.l().stream().anyMatch(element -> equal(element, needle));
            default -> false;
        };
    }

    static boolean beginsWith(AttributeValue value, AttributeValue prefix) {
        if (value == null || prefix == null || value.type() != prefix.type()) {
            return false;
        }
        if (value.type() == Type.S) {
            return value.s().startsWith(prefix.s());
        }
        if (value.type() == Type.B) {
            byte[] v = value.b().asByteArrayUnsafe();
            byte[] p = prefix.b().asByteArrayUnsafe();
            return v.length >= p.length && Arrays.equals(v, 0, p.length, p, 0, p.length);
        }
        return false;
    }

    /** DynamoDB's name for a type ({@code S}, {@code NS}, {@code BOOL}...), as {@code attribute_type} takes it. */
    static String typeName(AttributeValue v) {
        Type type = v == null ? Type.UNKNOWN_TO_SDK_VERSION : v.type();
        return switch (type) {
            case UNKNOWN_TO_SDK_VERSION -> null;
            case NUL -> "NULL";
            default -> type.name();
        };
    }

    static BigDecimal number(String text) {
        if (text == null) {
            return null;
        }
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static boolean numberSetsEqual(List<String> a, List<String> b) {
        TreeSet<BigDecimal> x = new TreeSet<>();
        TreeSet<BigDecimal> y = new TreeSet<>();
        for (String n : a) {
            BigDecimal d = number(n);
            if (d == null) {
                return false;
            }
            x.add(d);
        }
        for (String n : b) {
            BigDecimal d = number(n);
            if (d == null || !x.contains(d)) {
                return false;
            }
            y.add(d);
        }
        return x.size() == y.size();
    }

    private static boolean listsEqual(List<AttributeValue> a, List<AttributeValue> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!equal(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean mapsEqual(Map<String, AttributeValue> a, Map<String, AttributeValue> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (Map.Entry<String, AttributeValue> e : a.entrySet()) {
            if (!equal(e.getValue(), b.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** Code point order is UTF-8 byte order; {@link String#compareTo} (UTF-16 units) is not, above U+FFFF. */
    private static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int x = a.codePointAt(i);
            int y = b.codePointAt(j);
            if (x != y) {
                return x - y;
            }
            i += Character.charCount(x);
            j += Character.charCount(y);
        }
        return (a.length() - i) - (b.length() - j);
    }

    private static int compareUnsigned(SdkBytes a, SdkBytes b) {
        return Arrays.compareUnsigned(a.asByteArrayUnsafe(), b.asByteArrayUnsafe());
    }

    private static boolean indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
