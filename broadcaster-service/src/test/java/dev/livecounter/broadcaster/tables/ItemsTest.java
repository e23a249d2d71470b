package dev.livecounter.broadcaster.tables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * An item's digest matches an image a query read with one a stream record carries: equal for the same item however
 * DynamoDB ordered its sets and maps or spelled its numbers, different as soon as a value differs.
 */
class ItemsTest {

    private static AttributeValue n(String number) {
        return AttributeValue.fromN(number);
    }

    private static AttributeValue s(String text) {
        return AttributeValue.fromS(text);
    }

    @Test
    void setOrderMapOrderAndNumberSpellingDoNotChangeTheDigest() {
        Map<String, AttributeValue> read = new LinkedHashMap<>();
        read.put("id", s("o1"));
        read.put("total", n("12.50"));
        read.put("tags", AttributeValue.fromSs(List.of("red", "blue", "green")));
        read.put("sizes", AttributeValue.fromNs(List.of("1", "2.0", "30")));
        read.put("blobs", AttributeValue.fromBs(List.of(SdkBytes.fromUtf8String("a"), SdkBytes.fromUtf8String("b"))));
        read.put("address", AttributeValue.fromM(Map.of("city", s("Oslo"), "zip", n("150"))));

        Map<String, AttributeValue> streamed = new LinkedHashMap<>();
        streamed.put("address", AttributeValue.fromM(Map.of("zip", n("1.5E2"), "city", s("Oslo"))));
        streamed.put("blobs", AttributeValue.fromBs(List.of(SdkBytes.fromUtf8String("b"), SdkBytes.fromUtf8String("a"))));
        streamed.put("sizes", AttributeValue.fromNs(List.of("30", "1.00", "2")));
        streamed.put("tags", AttributeValue.fromSs(List.of("green", "red", "blue")));
        streamed.put("total", n("12.5"));
        streamed.put("id", s("o1"));

        assertEquals(Items.digest(read), Items.digest(streamed));
    }

    @Test
    void anyDifferentValueChangesTheDigest() {
        Map<String, AttributeValue> item = Map.of("id", s("o1"), "total", n("12.5"), "tags", AttributeValue.fromSs(List.of("a")));
        String digest = Items.digest(item);
        List<Map<String, AttributeValue>> others = List.of(
                Map.of("id", s("o1"), "total", n("12.6"), "tags", AttributeValue.fromSs(List.of("a"))),
                Map.of("id", s("o1"), "total", s("12.5"), "tags", AttributeValue.fromSs(List.of("a"))),
                Map.of("id", s("o1"), "total", n("12.5"), "tags", AttributeValue.fromSs(List.of("a", "b"))),
                Map.of("id", s("o1"), "total", n("12.5"), "tags", AttributeValue.fromL(List.of(s("a")))),
                Map.of("id", s("o1"), "total", n("12.5")),
                Map.of("id", s("o1"), "total", n("12.5"), "tags", AttributeValue.fromSs(List.of("a")), "x", AttributeValue.fromNul(true)),
                Map.of("id", s("o2"), "total", n("12.5"), "tags", AttributeValue.fromSs(List.of("a"))));
        for (Map<String, AttributeValue> other : others) {
            assertNotEquals(digest, Items.digest(other), other.toString());
        }
        // a list keeps its order: [a, b] is not [b, a]
        assertNotEquals(Items.digest(Map.of("l", AttributeValue.fromL(List.of(s("a"), s("b"))))),
                Items.digest(Map.of("l", AttributeValue.fromL(List.of(s("b"), s("a"))))));
        // the text of names and values cannot run together: {"ab": "c"} is not {"a": "bc"}
        assertNotEquals(Items.digest(Map.of("ab", s("c"))), Items.digest(Map.of("a", s("bc"))));
        assertNull(Items.digest(null));
    }

    @Test
    void aKeyIsTheSameStringHoweverItsNumberIsWritten() {
        assertEquals(Items.key(Map.of("pk", n("1.0"), "sk", s("x")), "pk", "sk"),
                Items.key(Map.of("pk", n("1"), "sk", s("x")), "pk", "sk"));
        assertNotEquals(Items.keyPart(n("1")), Items.keyPart(s("1")));
        assertNotEquals(Items.key(Map.of("pk", s("a"), "sk", s("bc")), "pk", "sk"),
                Items.key(Map.of("pk", s("ab"), "sk", s("c")), "pk", "sk"));
        assertEquals(Items.keyPart(s("a")), Items.key(Map.of("pk", s("a")), "pk", null));
    }
}
