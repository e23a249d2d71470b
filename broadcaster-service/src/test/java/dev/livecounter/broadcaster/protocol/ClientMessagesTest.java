package dev.livecounter.broadcaster.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.livecounter.broadcaster.protocol.ClientMessages.Rejected;
import dev.livecounter.common.contract.ErrorCode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** What a client may send, and that anything else gets a defined refusal, never an exception. */
class ClientMessagesTest {

    @Test
    void plusAndMinusArePresses() throws Rejected {
        assertEquals(new ClientMessage.Plus(null), ClientMessages.decode("{\"action\":\"plus\"}"));
        assertEquals(new ClientMessage.Minus(null), ClientMessages.decode(" { \"action\" : \"minus\" } "));
        // a JSON escape is the same string: JSON is decoded, not matched
        assertEquals(new ClientMessage.Plus(null), ClientMessages.decode("{\"action\":\"\\u0070lus\"}"));
    }

    @Test
    void aSubscribeIsDecodedWithItsParts() throws Rejected {
        ClientMessage.Subscribe subscribe = assertInstanceOf(ClientMessage.Subscribe.class, ClientMessages.decode(
                "{\"action\":\"subscribe\",\"ref\":\"r1\",\"table\":\"orders\",\"partition\":{\"customer\":\"ada\"},"
                        + "\"prefix\":\"2026-\",\"filter\":\"#s = :s\",\"names\":{\"#s\":\"status\"},"
                        + "\"values\":{\":s\":\"shipped\"},\"attributes\":[\"status\"],\"after\":\"a.1\"}"));
        assertEquals("orders", subscribe.table());
        assertEquals("ada", subscribe.partition().get("customer").getStringValue());
        assertEquals("2026-", subscribe.prefix());
        assertEquals("status", subscribe.names().get("#s"));
        assertEquals("shipped", subscribe.values().get(":s").getStringValue());
        assertEquals(java.util.List.of("status"), subscribe.attributes());
        assertEquals(new ClientMessage.Unsubscribe("abc"), ClientMessages.decode("{\"sub\":\"abc\",\"action\":\"unsubscribe\"}"));
    }

    @Test
    void theKeysAMessageMayHaveAreItsRecordsAndTheActionsItsSubtypes() throws Rejected {
        ClientMessage.Subscribe subscribe = assertInstanceOf(ClientMessage.Subscribe.class, ClientMessages.decode(
                "{\"action\":\"subscribe\",\"key\":{\"customer\":\"ada\",\"orderId\":\"o1\"},\"token\":\"t\"}"));
        assertEquals("o1", subscribe.key().get("orderId").getStringValue());
        assertEquals("t", subscribe.token());
        assertEquals("unknown action; use \"plus\", \"minus\", \"subscribe\" or \"unsubscribe\"",
                assertThrows(Rejected.class, () -> ClientMessages.decode("{\"action\":\"jump\"}")).getMessage());
    }

    @Test
    void aSubscribeWithWrongTypesOrExtraKeysIsRefused() {
        for (String bad : new String[] {
            "{\"action\":\"subscribe\",\"table\":1}",
            "{\"action\":\"subscribe\",\"table\":\"orders\",\"tabel\":\"x\"}",
            "{\"action\":\"subscribe\",\"table\":\"orders\",\"attributes\":\"status\"}",
            "{\"action\":\"unsubscribe\",\"sub\":{}}"
        }) {
            assertEquals(ErrorCode.BAD_REQUEST, assertThrows(Rejected.class, () -> ClientMessages.decode(bad), bad).code(), bad);
        }
    }

    @Test
    void everyRefusalSaysWhy() {
        assertEquals(ErrorCode.BAD_REQUEST, assertThrows(Rejected.class, () -> ClientMessages.decode("{not json")).code());
        assertEquals(ErrorCode.BAD_REQUEST, assertThrows(Rejected.class, () -> ClientMessages.decode("")).code());
        assertEquals(ErrorCode.BAD_REQUEST, assertThrows(Rejected.class, () -> ClientMessages.decode("[]")).code());
        assertEquals(ErrorCode.BAD_REQUEST, assertThrows(Rejected.class, () -> ClientMessages.decode("{}")).code());
        assertEquals(ErrorCode.UNKNOWN_ACTION, assertThrows(Rejected.class, () -> ClientMessages.decode("{\"action\":\"jump\"}")).code());
        assertEquals(ErrorCode.BAD_REQUEST, assertThrows(Rejected.class,
                () -> ClientMessages.decode("{\"action\":\"plus\",\"x\":\"" + "y".repeat(5000) + "\"}")).code());
    }

    @Test
    void noLenientReadingTurnsGarbageIntoAPress() {
        for (String sly : new String[] {
            "{\"action\":\"plus\"}{\"action\":\"plus\"}",
            "{\"action\":\"jump\",\"action\":\"plus\"}",
            "{\"action\":\"plus\",\"extra\":1}",
            "{'action':'plus'}",
            "{\"action\":[\"plus\"]}"
        }) {
            assertThrows(Rejected.class, () -> ClientMessages.decode(sly), sly);
        }
    }

    @Property(tries = 2000)
    void anyTextIsAnActionOrARefusal(@ForAll String text) {
        parsesOrRefuses(text);
    }

    @Property(tries = 2000)
    void anyJsonLikeTextIsAnActionOrARefusal(@ForAll("jsonLike") String text) {
        parsesOrRefuses(text);
    }

    @Property(tries = 200)
    void deeplyNestedJsonIsRefusedNotAStackOverflow(@ForAll("depths") int depth) {
        parsesOrRefuses("{\"a\":".repeat(depth) + "1" + "}".repeat(depth));
        parsesOrRefuses("[".repeat(depth) + "]".repeat(depth));
    }

    private static void parsesOrRefuses(String text) {
        try {
            ClientMessages.decode(text);
        } catch (Rejected rejected) {
            // a defined answer: the error frame's code
            if (rejected.code() != ErrorCode.BAD_REQUEST && rejected.code() != ErrorCode.UNKNOWN_ACTION) {
                throw new AssertionError("undefined code " + rejected.code());
            }
        }
    }

    @Provide
    Arbitrary<Integer> depths() {
        return Arbitraries.integers().between(1, 5000);
    }

    @Provide
    Arbitrary<String> jsonLike() {
        Arbitrary<String> keys = Arbitraries.of("action", "Action", "", "action ", "\\u0061ction", "type");
        Arbitrary<String> values = Arbitraries.oneOf(
                Arbitraries.of("\"plus\"", "\"minus\"", "\"PLUS\"", "null", "1", "true", "[]", "{}", "\"\"", "\"plus\\u0000\""),
                Arbitraries.strings().ofMaxLength(20).map(s -> "\"" + s.replace("\"", "\\\"") + "\""));
        Arbitrary<String> pair = Combinators.combine(keys, values).as((k, v) -> "\"" + k + "\":" + v);
        return Combinators.combine(pair.list().ofMaxSize(4), Arbitraries.of("", " ", "}", "{", ",", "\n"))
                .as((pairs, tail) -> "{" + String.join(",", pairs) + "}" + tail);
    }

    @Test
    void aPressMayCarryThePagesIdInEitherOrder() throws Rejected {
        assertEquals(new ClientMessage.Plus("a1_B-2"), ClientMessages.decode("{\"action\":\"plus\",\"id\":\"a1_B-2\"}"));
        assertEquals(new ClientMessage.Minus("x"), ClientMessages.decode(" { \"id\" : \"x\" , \"action\" : \"minus\" } "));
        assertEquals(new ClientMessage.Plus(null), ClientMessages.decode("{\"action\":\"plus\"}"));
        assertEquals(ErrorCode.BAD_REQUEST, assertThrows(Rejected.class,
                () -> ClientMessages.decode("{\"action\":\"plus\",\"id\":\"no spaces\"}")).code());
        assertEquals(ErrorCode.BAD_REQUEST, assertThrows(Rejected.class,
                () -> ClientMessages.decode("{\"action\":\"plus\",\"id\":\"" + "x".repeat(65) + "\"}")).code());
        assertEquals(ErrorCode.BAD_REQUEST, assertThrows(Rejected.class,
                () -> ClientMessages.decode("{\"action\":\"plus\",\"id\":\"a\",\"id\":\"b\"}")).code());
    }
}
