package dev.livecounter.broadcaster.tables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** A client's stream position: what the server writes it reads back the same; anything else is refused. */
class PositionsTest {

    @Property
    void aPositionReadsBackAsTheVectorItWasWrittenFrom(@ForAll("vectors") Map<String, BigInteger> vector) {
        assertEquals(vector, Positions.decode(Positions.encode(vector)));
    }

    @Provide
    Arbitrary<Map<String, BigInteger>> vectors() {
        Arbitrary<String> shards = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(30)
                .map(Positions::shardKey);
        // DynamoDB's sequence numbers run to 40 digits; base 36 writes them in 26 characters or fewer
        Arbitrary<BigInteger> sequences = Arbitraries.bigIntegers().between(BigInteger.ZERO, BigInteger.TEN.pow(40));
        return Arbitraries.maps(shards, sequences).ofMaxSize(8);
    }

    @Property
    void theSameVectorIsWrittenTheSameWhateverOrderItsShardsCameIn(@ForAll("vectors") Map<String, BigInteger> vector) {
        Map<String, BigInteger> backwards = new LinkedHashMap<>();
        vector.keySet().stream().sorted(Comparator.reverseOrder()).forEach(shard -> backwards.put(shard, vector.get(shard)));
        Map<String, BigInteger> forwards = new LinkedHashMap<>();
        vector.keySet().stream().sorted().forEach(shard -> forwards.put(shard, vector.get(shard)));
        assertEquals(Positions.encode(forwards), Positions.encode(backwards));
    }

    @Test
    void aShardIsAShortLowerCaseKeyAndTheSequenceIsBase36() {
        String shard = Positions.shardKey("shardId-00000001700000000000-abcdef12");
        assertEquals(shard + ".z", Positions.encode(Map.of(shard, BigInteger.valueOf(35))));
        assertEquals(Map.of(), Positions.decode(""));
    }

    @Test
    void whatTheServerNeverWroteIsRefused() {
        for (String bad : new String[] {
            "abc", "abc.", ".1", "ABC.1", "abc.1~", "~abc.1", "abc.1~abc.2", "abcdefgh.1", "abc.-1", "abc.1 ", "abc..1",
            "abc.1.2", "a.1~b", "a." + "1".repeat(41), "a.1~" + "b.1~".repeat(600) + "c.1"}) {
            assertThrows(IllegalArgumentException.class, () -> Positions.decode(bad), bad);
        }
    }
}
