package dev.livecounter.broadcaster.tables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A snapshot and the stream show each change once: changes the snapshot already holds (the stream lags the table)
 * are dropped, the first one made after it and everything after that pass.
 */
class FenceTest {

    private static final String KEY = Items.key(keys(), "pk", null);
    private long sequence;
    /** The table's history of the item, which the topic records before it offers a change to anyone. */
    private final KeyChains chains = new KeyChains(Duration.ofMinutes(5).toNanos());

    private static Map<String, AttributeValue> keys() {
        return Map.of("pk", AttributeValue.fromS("o1"));
    }

    private static Map<String, AttributeValue> item(Integer total) {
        return total == null ? null : Map.of("pk", AttributeValue.fromS("o1"), "total", AttributeValue.fromN(total.toString()));
    }

    /** A change of the item from {@code from} to {@code to} (null: no item). */
    private Delivered change(Integer from, Integer to) {
        String event = from == null ? "insert" : to == null ? "remove" : "modify";
        return new Delivered(new TableChange("shard-1", BigInteger.valueOf(++sequence), event, keys(), item(to), item(from)),
                "s", KEY, "p" + sequence);
    }

    /** A fence over a snapshot that read the item at {@code read} (null: the snapshot did not hold it). */
    private Fence fence(Integer read) {
        Map<String, String> digests = new HashMap<>();
        if (read != null) {
            digests.put(KEY, Items.digest(item(read)));
        }
        return new Fence(digests, chains, System.nanoTime() + Duration.ofMinutes(1).toNanos());
    }

    private List<Boolean> passes(Fence fence, Delivered... changes) {
        List<Boolean> passed = new ArrayList<>();
        for (Delivered change : changes) {
            chains.record(change);
            passed.add(fence.passes(change));
        }
        return passed;
    }

    @Test
    void changesTheSnapshotHoldsAreDroppedAndTheFirstOneAfterItPasses() {
        // the table went 1 -> 2 -> 3 -> 4; the snapshot read 3; the stream brings all of it late
        assertEquals(List.of(false, false, true, true),
                passes(fence(3), change(1, 2), change(2, 3), change(3, 4), change(4, 5)));
    }

    @Test
    void onceAChangeOfAnItemPassedEveryLaterOnePassesEvenWithAnImageLikeTheSnapshot() {
        // 3 -> 4 -> 3 -> 4: after the first change past the snapshot, an image equal to the one read is news again
        assertEquals(List.of(true, true, true), passes(fence(3), change(3, 4), change(4, 3), change(3, 4)));
    }

    @Test
    void anItemTheSnapshotDidNotHoldStartsWithItsInsert() {
        // changed and removed before the read (the stream still brings both), then made again: the new insert is news
        assertEquals(List.of(false, false, true, true),
                passes(fence(null), change(1, 2), change(2, null), change(null, 3), change(3, 4)));
    }

    @Test
    void theRemovalOfAnItemTheSnapshotReadPasses() {
        assertEquals(List.of(true), passes(fence(7), change(7, null)));
    }

    @Test
    void changesOutOfViewAreSeenThroughTheTablesHistoryNotHandedToTheFence() {
        // the snapshot read 3 (out of the subscription's view, say); 3 -> 4 is out of view too and never offered to
        // the fence, 4 -> 5 comes into view: it follows the snapshot's state, so it passes
        Fence fence = fence(3);
        chains.record(change(2, 3));
        chains.record(change(3, 4));
        assertEquals(List.of(true), passes(fence, change(4, 5)));
    }

    @Test
    void aFenceIsOverOnlyAfterItsDeadline() {
        assertFalse(fence(1).over());
        assertTrue(new Fence(Map.of(), chains, System.nanoTime() - 1).over());
    }
}
