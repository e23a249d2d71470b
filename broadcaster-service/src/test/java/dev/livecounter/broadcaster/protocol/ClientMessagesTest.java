package dev.livecounter.broadcaster.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.livecounter.broadcaster.protocol.ClientMessages.Action;
import dev.livecounter.broadcaster.protocol.ClientMessages.Rejected;
import dev.livecounter.common.contract.ErrorCode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** What a page may send, and that anything else gets a defined refusal, never an exception. */
class ClientMessagesTest {

    @Test
    void plusAndMinusAreTheTwoActions() throws Rejected {
        assertEquals(Action.PLUS, ClientMessages.parse("{\"action\":\"plus\"}"));
        assertEquals(Action.MINUS, ClientMessages.parse(" { \"action\" : \"minus\" } "));
    }

    @Test
    void everyRefusalSaysWhy() {
        assertEquals(ErrorCode.BAD_REQUEST, assertThrows(Rejected.class, () -> ClientMessages.parse("{not json")).code());
        assertEquals(ErrorCode.BAD_REQUEST, assertThrows(Rejected.class, () -> ClientMessages.parse("")).code());
        assertEquals(ErrorCode.BAD_REQUEST, assertThrows(Rejected.class, () -> ClientMessages.parse("[]")).code());
        assertEquals(ErrorCode.BAD_REQUEST, assertThrows(Rejected.class, () -> ClientMessages.parse("{}")).code());
        assertEquals(ErrorCode.UNKNOWN_ACTION, assertThrows(Rejected.class, () -> ClientMessages.parse("{\"action\":\"jump\"}")).code());
        assertEquals(ErrorCode.BAD_REQUEST, assertThrows(Rejected.class,
                () -> ClientMessages.parse("{\"action\":\"plus\",\"x\":\"" + "y".repeat(300) + "\"}")).code());
    }

    @Test
    void noLenientReadingTurnsGarbageIntoAPress() {
        for (String sly : new String[] {
            "{\"action\":\"plus\"}{\"action\":\"plus\"}",
            "{\"action\":\"jump\",\"action\":\"plus\"}",
            "{\"action\":\"plus\",\"extra\":1}",
            "{\"action\":\"\\u0070lus\"}",
            "{'action':'plus'}",
            "{\"action\":[\"plus\"]}"
        }) {
            assertThrows(Rejected.class, () -> ClientMessages.parse(sly), sly);
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
            ClientMessages.parse(text);
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
        assertEquals(new ClientMessages.Press(Action.PLUS, "a1_B-2"),
                ClientMessages.parsePress("{\"action\":\"plus\",\"id\":\"a1_B-2\"}"));
        assertEquals(new ClientMessages.Press(Action.MINUS, "x"),
                ClientMessages.parsePress(" { \"id\" : \"x\" , \"action\" : \"minus\" } "));
        assertEquals(new ClientMessages.Press(Action.PLUS, null), ClientMessages.parsePress("{\"action\":\"plus\"}"));
        assertEquals(ErrorCode.BAD_REQUEST, assertThrows(Rejected.class,
                () -> ClientMessages.parsePress("{\"action\":\"plus\",\"id\":\"no spaces\"}")).code());
        assertEquals(ErrorCode.BAD_REQUEST, assertThrows(Rejected.class,
                () -> ClientMessages.parsePress("{\"action\":\"plus\",\"id\":\"" + "x".repeat(65) + "\"}")).code());
        assertEquals(ErrorCode.BAD_REQUEST, assertThrows(Rejected.class,
                () -> ClientMessages.parsePress("{\"action\":\"plus\",\"id\":\"a\",\"id\":\"b\"}")).code());
    }
}
