package dev.livecounter.broadcaster.tables.items;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Items as plain JSON for pages and typed JSON between replicas: every type, exact digits, safe escaping. */
class ItemJsonTest {

    private static final ObjectMapper JSON = ObjectMapper.getDefault();

    @Test
    void plainWritesEveryType() {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("s", AttributeValue.fromS("x"));
        item.put("n", AttributeValue.fromN("-12.50"));
        item.put("bool", AttributeValue.fromBool(true));
        item.put("null", AttributeValue.fromNul(true));
        item.put("m", AttributeValue.fromM(Map.of("k", AttributeValue.fromN("1"))));
        item.put("l", AttributeValue.fromL(List.of(AttributeValue.fromS("a"), AttributeValue.fromBool(false))));
        item.put("ss", AttributeValue.fromSs(List.of("a", "b")));
        item.put("ns", AttributeValue.fromNs(List.of("1", "2.0")));
        item.put("b", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[] {0, 1, (byte) 0xff})));
        item.put("bs", AttributeValue.fromBs(List.of(SdkBytes.fromByteArray(new byte[] {1}))));
        assertEquals(
                "{\"s\":\"x\",\"n\":-12.50,\"bool\":true,\"null\":null,\"m\":{\"k\":1},\"l\":[\"a\",false],"
                        + "\"ss\":[\"a\",\"b\"],\"ns\":[1,2.0],\"b\":\"AAH/\",\"bs\":[\"AQ==\"]}",
                ItemJson.plain(item));
    }

    @Test
    void plainKeepsTheExactDigits() {
        String digits = "-0.12345678901234567890123456789012345678";
        assertEquals("{\"n\":" + digits + "}", ItemJson.plain(Map.of("n", AttributeValue.fromN(digits))));
        assertEquals("{\"n\":1E+130}", ItemJson.plain(Map.of("n", AttributeValue.fromN("1E+130"))));
        assertEquals("{\"n\":1}", ItemJson.plain(Map.of("n", AttributeValue.fromN("+1"))), "not JSON: written by value");
        assertEquals("{\"n\":\"abc\"}", ItemJson.plain(Map.of("n", AttributeValue.fromN("abc"))), "still valid JSON");
    }

    @Test
    void plainEscapesWhatJsonAndJavaScriptCannotCarryRaw() throws IOException {
        String nasty = "q\"b\\n\nt\tc\u0001\u001f\u2028 😀 lone\ud800 \udc00end";
        String json = ItemJson.plain(Map.of("k\"", AttributeValue.fromS(nasty)));
        assertEquals(
                "{\"k\\\"\":\"q\\\"b\\\\n\\nt\\tc\\u0001\\u001f\\u2028 😀 lone\\ud800 \\udc00end\"}", json);
        assertEquals(nasty, JSON.readValue(json, JsonNode.class).get("k\"").getStringValue());
    }

    @Test
    void fromPlainMapsEachJsonType() throws IOException {
        Map<String, AttributeValue> item = ItemJson.fromPlainObject(read(
                "{\"s\":\"x\",\"i\":7,\"big\":123456789012345678901234567890,\"f\":0.25,\"t\":true,\"z\":null,"
                        + "\"l\":[1,\"a\"],\"m\":{\"k\":false}}"));
        assertEquals(AttributeValue.fromS("x"), item.get("s"));
        assertEquals(AttributeValue.fromN("7"), item.get("i"));
        assertEquals(AttributeValue.fromN("123456789012345678901234567890"), item.get("big"));
        assertEquals(AttributeValue.fromN("0.25"), item.get("f"));
        assertEquals(AttributeValue.fromBool(true), item.get("t"));
        assertEquals(AttributeValue.fromNul(true), item.get("z"));
        assertEquals(AttributeValue.fromL(List.of(AttributeValue.fromN("1"), AttributeValue.fromS("a"))), item.get("l"));
        assertEquals(AttributeValue.fromM(Map.of("k", AttributeValue.fromBool(false))), item.get("m"));
        assertEquals(AttributeValue.fromN("1.10"), ItemJson.fromPlain(JsonNode.createNumberNode(new BigDecimal("1.10"))));
    }

    @Test
    void fromPlainRefusesWhatDynamoDbCannotHold() throws IOException {
        assertEquals("number 1234567890123456789012345678901234567891 has more than 38 significant digits",
                refusal(JsonNode.createNumberNode(new BigInteger("1234567890123456789012345678901234567891"))));
        assertEquals(AttributeValue.fromN("12345678901234567890123456789012345678000"),
                ItemJson.fromPlain(JsonNode.createNumberNode(new BigInteger("12345678901234567890123456789012345678000"))));
        assertEquals("number NaN cannot be stored", refusal(JsonNode.createNumberNode(Double.NaN)));
        assertEquals("number Infinity cannot be stored", refusal(read("1E400")));
        assertEquals("number 1E+126 is outside DynamoDB's range 1E-130 to 1E+126",
                refusal(JsonNode.createNumberNode(new BigDecimal("1E+126"))));
        assertEquals("expected a JSON object", assertThrows(IllegalArgumentException.class,
                () -> ItemJson.fromPlainObject(read("[1]"))).getMessage());
        ItemJson.fromPlain(read("[".repeat(32) + "]".repeat(32)));
        assertEquals("value nested deeper than 32 levels", refusal(read("[".repeat(33) + "]".repeat(33))));
        ItemJson.fromPlainObject(read("{\"a\":" + "{\"b\":".repeat(32) + "1" + "}".repeat(33)));
        assertEquals("value nested deeper than 32 levels", assertThrows(IllegalArgumentException.class,
                () -> ItemJson.fromPlainObject(read("{\"a\":" + "{\"b\":".repeat(33) + "1" + "}".repeat(34))))
                .getMessage());
    }

    @Test
    void typedIsDynamoDbJson() {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("a", AttributeValue.fromS("x"));
        item.put("n", AttributeValue.fromN("1.50"));
        item.put("z", AttributeValue.fromNul(true));
        item.put("l", AttributeValue.fromL(List.of(AttributeValue.fromNs(List.of("1")))));
        assertEquals("{\"a\":{\"S\":\"x\"},\"n\":{\"N\":\"1.50\"},\"z\":{\"NULL\":true},\"l\":{\"L\":[{\"NS\":[\"1\"]}]}}",
                ItemJson.typed(item));
    }

    @Test
    void fromTypedRefusesWhatItDoesNotWrite() {
        for (String bad : new String[] {
            "{\"a\":{\"X\":\"1\"}}", "{\"a\":{\"S\":\"1\",\"N\":\"1\"}}", "{\"a\":{\"N\":1}}", "{\"a\":{\"B\":\"!!\"}}",
            "{\"a\":{\"NULL\":false}}", "{\"a\":{\"SS\":\"x\"}}", "{\"a\":\"x\"}", "[]"
        }) {
            assertThrows(IllegalArgumentException.class, () -> ItemJson.fromTyped(read(bad)), bad);
        }
    }

    @Property(tries = 500)
    void typedRoundTripsEveryItem(@ForAll("items") Map<String, AttributeValue> item) throws IOException {
        assertEquals(item, ItemJson.fromTyped(read(ItemJson.typed(item))));
    }

    @Property(tries = 500)
    void plainIsAlwaysJsonWithTheSameStrings(@ForAll("items") Map<String, AttributeValue> item) throws IOException {
        JsonNode parsed = read(ItemJson.plain(item));
        for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
            if (e.getValue().s() != null) {
                assertEquals(e.getValue().s(), parsed.get(e.getKey()).getStringValue());
            }
        }
    }

    @Provide
    Arbitrary<Map<String, AttributeValue>> items() {
        return Arbitraries.maps(Arbitraries.strings().ofMaxLength(8), value(3)).ofMaxSize(6);
    }

    private static Arbitrary<AttributeValue> value(int depth) {
        Arbitrary<String> strings = Arbitraries.strings().ofMaxLength(12);
        Arbitrary<String> numbers = Arbitraries.bigIntegers()
                .between(BigInteger.TEN.pow(20).negate(), BigInteger.TEN.pow(20))
                .flatMap(unscaled -> Arbitraries.integers().between(-10, 10)
                        .map(scale -> new BigDecimal(unscaled, scale).toString()));
        Arbitrary<SdkBytes> binaries = Arbitraries.bytes().array(byte[].class).ofMaxSize(8).map(SdkBytes::fromByteArray);
        List<Arbitrary<AttributeValue>> choices = new ArrayList<>(List.of(
                strings.map(AttributeValue::fromS),
                numbers.map(AttributeValue::fromN),
                binaries.map(AttributeValue::fromB),
                Arbitraries.of(true, false).map(AttributeValue::fromBool),
                Arbitraries.just(AttributeValue.fromNul(true)),
                strings.list().ofMaxSize(3).map(AttributeValue::fromSs),
                numbers.list().ofMaxSize(3).map(AttributeValue::fromNs),
                binaries.list().ofMaxSize(3).map(AttributeValue::fromBs)));
        if (depth > 0) {
            Arbitrary<AttributeValue> inner = Arbitraries.lazy(() -> value(depth - 1));
            choices.add(inner.list().ofMaxSize(3).map(AttributeValue::fromL));
            choices.add(Arbitraries.maps(strings, inner).ofMaxSize(3).map(AttributeValue::fromM));
        }
        return Arbitraries.oneOf(choices);
    }

    private static String refusal(JsonNode node) {
        return assertThrows(IllegalArgumentException.class, () -> ItemJson.fromPlain(node)).getMessage();
    }

    private static JsonNode read(String json) throws IOException {
        return JSON.readValue(json, JsonNode.class);
    }
}
