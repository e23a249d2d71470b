package dev.livecounter.broadcaster.tables.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** DynamoDB's condition grammar and meaning, our limits, and that no input gets anything but a FilterException. */
class ConditionTest {

    private static final Map<String, AttributeValue> ORDER = Map.of(
            "customer", s("c1"),
            "status", s("shipped"),
            "total", n("12.50"),
            "item", s("café 😀"),
            "tags", AttributeValue.fromSs(List.of("gift", "red")),
            "sizes", AttributeValue.fromNs(List.of("1", "2.0")),
            "lines", AttributeValue.fromL(List.of(
                    AttributeValue.fromM(Map.of("sku", s("a"), "qty", n("2"))),
                    AttributeValue.fromM(Map.of("sku", s("b"), "qty", n("1"))))),
            "address", AttributeValue.fromM(Map.of("city", s("Oslo"), "zip.code", s("0150"))),
            "blob", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[] {1, (byte) 0xff, 3})),
            "gone", AttributeValue.fromNul(true));

    @Test
    void comparatorsCompareNumbersByValue() throws FilterException {
        assertTrue(matches("total = :v", ":v", n("12.5")));
        assertTrue(matches("total > :v", ":v", n("9")));
        assertTrue(matches("total >= :v", ":v", n("12.500")));
        assertTrue(matches("total < :v", ":v", n("1E+2")));
        assertTrue(matches("total <= :v", ":v", n("12.5")));
        assertTrue(matches("total <> :v", ":v", n("12.51")));
        assertFalse(matches("total <> :v", ":v", n("12.5")));
    }

    @Test
    void stringsCompareByUtf8BytesAndBinariesAsUnsigned() throws FilterException {
        Map<String, AttributeValue> item = Map.of("a", s("\uffff"), "b", s("😀"), "x", bytes(0x7f), "y", bytes(0x80));
        assertTrue(Condition.parse("a < b", null, null).test(item), "U+FFFF sorts before U+1F600 in UTF-8");
        assertTrue(Condition.parse("x < y", null, null).test(item), "0x80 is 128, not -128");
        assertTrue(matches("status BETWEEN :a AND :b", ":a", s("s"), ":b", s("t")));
    }

    @Test
    void differentTypesAreNeitherEqualNorOrdered() throws FilterException {
        assertFalse(matches("total = :v", ":v", s("12.5")));
        assertFalse(matches("total < :v", ":v", s("99")));
        assertFalse(matches("total >= :v", ":v", s("1")));
        assertTrue(matches("total <> :v", ":v", s("12.5")), "<> is NOT =, as in DynamoDB");
    }

    @Test
    void aMissingAttributeMatchesNothingButNotEqual() throws FilterException {
        assertFalse(matches("nope = :v", ":v", n("1")));
        assertFalse(matches("nope < :v", ":v", n("1")));
        assertFalse(matches("nope BETWEEN :a AND :b", ":a", n("1"), ":b", n("2")));
        assertFalse(matches("nope IN (:v)", ":v", n("1")));
        assertTrue(matches("nope <> :v", ":v", n("1")));
        assertFalse(Condition.parse("total > :v", null, Map.of(":v", n("1"))).test(null));
    }

    @Test
    void betweenIsInclusiveAndInMatchesAnyValue() throws FilterException {
        assertTrue(matches("total BETWEEN :a AND :b", ":a", n("12.5"), ":b", n("12.5")));
        assertFalse(matches("total BETWEEN :a AND :b", ":a", n("13"), ":b", n("20")));
        assertTrue(matches("#s IN (:a, :b)", "#s", "status", ":a", s("new"), ":b", s("shipped")));
        assertFalse(matches("#s IN (:a)", "#s", "status", ":a", s("new")));
        assertTrue(matches("sizes = :v", ":v", AttributeValue.fromNs(List.of("2", "1.00"))), "sets compare unordered");
    }

    @Test
    void notBindsTighterThanAndWhichBindsTighterThanOr() throws FilterException {
        // true OR (false AND false): true only if AND binds tighter
        assertTrue(matches("customer = :c OR total = :x AND total = :x", ":c", s("c1"), ":x", n("0")));
        // (NOT false) AND true
        assertTrue(matches("NOT total = :x AND customer = :c", ":c", s("c1"), ":x", n("0")));
        // NOT (true) OR true: NOT covers only the first comparison
        assertTrue(matches("NOT customer = :c OR customer = :c", ":c", s("c1")));
        assertFalse(matches("NOT (customer = :c OR customer = :c)", ":c", s("c1")));
        assertTrue(matches("NOT NOT customer = :c", ":c", s("c1")));
    }

    @Test
    void keywordsAreCaseInsensitiveFunctionNamesAreNot() throws FilterException {
        assertTrue(matches("total between :a and :b or not total in (:a)", ":a", n("1"), ":b", n("20")));
        FilterException e = assertThrows(FilterException.class, () -> Condition.parse("ATTRIBUTE_EXISTS(total)", null, null));
        assertEquals("unknown function ATTRIBUTE_EXISTS at 0", e.getMessage());
    }

    @Test
    void pathsReachIntoMapsAndLists() throws FilterException {
        assertTrue(matches("lines[1].sku = :v", ":v", s("b")));
        assertTrue(matches("#l[0].#q > :v", "#l", "lines", "#q", "qty", ":v", n("1")));
        assertTrue(matches("address.#z = :v", "#z", "zip.code", ":v", s("0150")), "a name's dot is no path step");
        assertFalse(matches("lines[2].sku = :v", ":v", s("b")));
        assertFalse(matches("status[0] = :v", ":v", s("s")));
        assertFalse(matches("lines.sku = :v", ":v", s("a")));
    }

    @Test
    void functionsFollowDynamoDb() throws FilterException {
        assertTrue(matches("attribute_exists(address.city)"));
        assertTrue(matches("attribute_not_exists(address.street)"));
        assertTrue(matches("attribute_exists(gone)"), "a NULL attribute exists");
        assertTrue(matches("attribute_type(gone, :t)", ":t", s("NULL")));
        assertTrue(matches("attribute_type(tags, :t)", ":t", s("SS")));
        assertFalse(matches("attribute_type(total, :t)", ":t", s("S")));
        assertTrue(matches("begins_with(item, :p)", ":p", s("caf")));
        assertTrue(matches("begins_with(blob, :p)", ":p", bytes(1, 0xff)));
        assertFalse(matches("begins_with(total, :p)", ":p", s("1")));
        assertTrue(matches("contains(item, :p)", ":p", s("é 😀")));
        assertTrue(matches("contains(tags, :p)", ":p", s("red")));
        assertFalse(matches("contains(tags, :p)", ":p", s("re")));
        assertTrue(matches("contains(sizes, :p)", ":p", n("2")));
        assertTrue(matches("contains(lines, :p)", ":p", AttributeValue.fromM(Map.of("qty", n("1.0"), "sku", s("b")))));
        assertTrue(matches("contains(blob, :p)", ":p", bytes(0xff, 3)));
    }

    @Test
    void sizeIsAnOperandCountingBytesOrEntries() throws FilterException {
        assertTrue(matches("size(item) = :v", ":v", n("10")), "café 😀 is 10 UTF-8 bytes");
        assertTrue(matches("size(blob) = :v AND size(tags) = :w", ":v", n("3"), ":w", n("2")));
        assertTrue(matches("size(lines) BETWEEN :v AND :w", ":v", n("2"), ":w", n("2")));
        assertTrue(matches("size(address) IN (:v, :w)", ":v", n("1"), ":w", n("2")));
        assertFalse(matches("size(total) >= :v", ":v", n("0")), "a number has no size");
    }

    @Test
    void attributesAreTheTopLevelNamesRead() throws FilterException {
        Condition c = Condition.parse(
                "#s = :s AND total > :min OR size(lines[0].sku) > :min AND contains(#a.city, :s)",
                Map.of("#s", "status", "#a", "address"),
                Map.of(":s", s("x"), ":min", n("10")));
        assertEquals(Set.of("status", "total", "lines", "address"), c.attributes());
    }

    @Test
    void equalFiltersHaveOneCanonicalText() throws FilterException {
        Condition a = Condition.parse("#s = :s AND total > :min", Map.of("#s", "status"), Map.of(":s", s("x"), ":min", n("10")));
        Condition b = Condition.parse(" ( status=:a )and   (total >:b)", null, Map.of(":a", s("x"), ":b", n("10")));
        Condition c = Condition.parse("#s = :s AND total > :min", Map.of("#s", "status"), Map.of(":s", s("y"), ":min", n("10")));
        assertEquals(a.canonical(), b.canonical());
        assertNotEquals(a.canonical(), c.canonical());
        assertEquals("(\"status\" = {\"S\":\"x\"} AND \"total\" > {\"N\":\"10\"})", a.canonical());
        assertEquals(
                Condition.parse("a = :v AND (b = :v AND c = :v)", null, Map.of(":v", n("1"))).canonical(),
                Condition.parse("(a = :v AND b = :v) AND c = :v", null, Map.of(":v", n("1"))).canonical());
        assertNotEquals(
                Condition.parse("#n = :v", Map.of("#n", "a.b"), Map.of(":v", n("1"))).canonical(),
                Condition.parse("a.b = :v", null, Map.of(":v", n("1"))).canonical());
    }

    @Test
    void errorsSayWhatAndWhere() {
        assertError("unknown placeholder :min at 12", "#s = :s AND :min < total", Map.of("#s", "status"), Map.of(":s", s("x")));
        assertError("unknown placeholder #t at 0", "#t = :s", Map.of(), Map.of(":s", s("x")));
        assertError("unused placeholder :extra", "a = :s", Map.of(), Map.of(":s", s("x"), ":extra", s("y")));
        assertError("unused placeholder #extra", "a = :s", Map.of("#extra", "b"), Map.of(":s", s("x")));
        assertError("unknown function starts_with at 0", "starts_with(a, :s)", null, Map.of(":s", s("x")));
        assertError("unexpected 'b' after a complete condition at 7", "a = :s b", null, Map.of(":s", s("x")));
        assertError("unmatched ')' at 6", "a = :s)", null, Map.of(":s", s("x")));
        assertError("'(' at 0 is not closed: found the end of the expression at 7", "(a = :s", null, Map.of(":s", s("x")));
        assertError("unexpected character '$' at 4", "a = $s", null, null);
        assertError("unexpected character U+0007 at 1", "a\u0007", null, null);
        assertError("expected a comparator, BETWEEN or IN, found the end of the expression at 1", "a", null, null);
        assertError("expected AND of BETWEEN, found ',' at 13", "a BETWEEN :x , :y", null, Map.of(":x", n("1"), ":y", n("2")));
        assertError("BETWEEN lower bound :x is greater than upper bound :y at 2", "a BETWEEN :x AND :y", null,
                Map.of(":x", n("3"), ":y", n("2")));
        assertError("attribute_type takes a :value naming a type (S, SS, N, NS, B, BS, BOOL, NULL, L or M) at 18",
                "attribute_type(a, :t)", null, Map.of(":t", s("STRING")));
        assertError("begins_with takes a string or binary prefix at 15", "begins_with(a, :t)", null, Map.of(":t", n("1")));
        assertError("contains is a condition, not an operand at 4", "a = contains(b, :t)", null, Map.of(":t", n("1")));
        assertError("expected the argument of size, found ':t' at 5", "size(:t) = :t", null, Map.of(":t", n("1")));
        assertError("expected a list index, found 'x' at 2", "a[x] = :t", null, Map.of(":t", n("1")));
        assertError("list index 1234567890 is too large at 2", "a[1234567890] = :t", null, Map.of(":t", n("1")));
        assertError("empty expression", "  ", null, null);
    }

    @Test
    void limitsProtectTheServer() throws FilterException {
        Map<String, AttributeValue> v = Map.of(":v", n("1"));
        String longest = "a = :v" + " ".repeat(Condition.MAX_LENGTH - 6);
        Condition.parse(longest, null, v);
        assertError("expression is 1025 characters long, more than 1024", longest + " ", null, v);

        Condition.parse("(".repeat(8) + "a = :v" + ")".repeat(8), null, v);
        assertError("parentheses nested deeper than 8 at 8", "(".repeat(9) + "a = :v" + ")".repeat(9), null, v);

        String ops = IntStream.range(0, 32).mapToObj(i -> "a = :v").collect(Collectors.joining(" OR "));
        Condition.parse(ops, null, v); // 32 comparisons and 31 ORs: 63
        Condition.parse("NOT " + ops, null, v);
        assertError("more than 64 operators and functions at 320", "NOT NOT " + ops, null, v);

        Map<String, AttributeValue> many = new HashMap<>();
        IntStream.range(0, 101).forEach(i -> many.put(":v" + i, n(Integer.toString(i))));
        String in100 = IntStream.range(0, 100).mapToObj(i -> ":v" + i).collect(Collectors.joining(","));
        Map<String, AttributeValue> hundred = new HashMap<>(many);
        hundred.remove(":v100");
        assertTrue(Condition.parse("a IN (" + in100 + ")", null, hundred).test(Map.of("a", n("99"))));
        String in101 = "a IN (" + in100 + ",:v100)";
        assertError("IN takes at most 100 values at " + in101.indexOf(":v100"), in101, null, many);

        String deep = "a" + ".b".repeat(31);
        Condition.parse(deep + " = :v", null, v);
        assertError("document path deeper than 32 at 63", deep + ".b = :v", null, v);
    }

    @Property(tries = 3000)
    void anyTextIsAConditionOrAFilterException(@ForAll String text) {
        parsesOrRefuses(text);
    }

    @Property(tries = 3000)
    void anyTokenSoupIsAConditionOrAFilterException(@ForAll("tokenSoup") String text) {
        parsesOrRefuses(text);
    }

    @Provide
    Arbitrary<String> tokenSoup() {
        return Arbitraries.of(
                        "a", "#n", ":v", ":w", "(", ")", "[0]", "[", "]", ".", ",", "=", "<>", "<", ">=", "AND", "or",
                        "NOT", "BETWEEN", "IN", "size", "contains", "begins_with", "attribute_exists",
                        "attribute_type", "x", "#m", "[99]", "9")
                .list()
                .ofMaxSize(30)
                .map(words -> String.join(" ", words));
    }

    private static void parsesOrRefuses(String text) {
        Map<String, AttributeValue> values = Map.of(":v", n("1"), ":w", s("S"));
        try {
            Condition c = Condition.parse(text, Map.of("#n", "a", "#m", "x"), values);
            c.test(ORDER);
            c.test(Map.of("a", AttributeValue.fromL(List.of(n("not a number"))), "x", AttributeValue.builder().build()));
            assertEquals(c.canonical(), c.canonical());
        } catch (FilterException expected) {
            assertFalse(expected.getMessage().isBlank());
        }
    }

    private static void assertError(String message, String expression, Map<String, String> names,
            Map<String, AttributeValue> values) {
        FilterException e = assertThrows(FilterException.class, () -> Condition.parse(expression, names, values));
        assertEquals(message, e.getMessage());
    }

    /** Placeholders given as alternating key, value: "#x" keys take a name, ":x" keys an AttributeValue. */
    private static boolean matches(String expression, Object... placeholders) throws FilterException {
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        for (int i = 0; i < placeholders.length; i += 2) {
            String key = (String) placeholders[i];
            if (key.startsWith("#")) {
                names.put(key, (String) placeholders[i + 1]);
            } else {
                values.put(key, (AttributeValue) placeholders[i + 1]);
            }
        }
        return Condition.parse(expression, names, values).test(ORDER);
    }

    private static AttributeValue s(String s) {
        return AttributeValue.fromS(s);
    }

    private static AttributeValue n(String n) {
        return AttributeValue.fromN(n);
    }

    private static AttributeValue bytes(int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            b[i] = (byte) bytes[i];
        }
        return AttributeValue.fromB(SdkBytes.fromByteArray(b));
    }
}
