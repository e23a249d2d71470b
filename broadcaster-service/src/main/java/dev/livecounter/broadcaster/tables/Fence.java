package dev.livecounter.broadcaster.tables;

import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Keeps a snapshot and the stream from showing the same change twice. The stream lags the table: a change made
 * before the snapshot was read may reach this replica after it, and must not then be shown as if new. Each item's
 * changes come in order and each carries the item's old image, so the first change made after the snapshot is the
 * one whose old image is the one the snapshot read (or, for an item the snapshot did not hold, one with no old
 * image); every change of that item before it is dropped. A change whose new image is the one read is the very
 * change the snapshot holds: dropped too, and what follows it passes. After {@code deadline} (well past the stream's
 * lag) everything passes.
 *
 * <p>An item that returns to an identical image while the subscribe reads may show that short history again, in
 * order; an item with a version or time attribute never does.
 */
final class Fence {

    /** The digest of every item the snapshot read (filtered out or not), by key. */
    private final Map<String, String> read;
    private final Set<String> passed = new HashSet<>();
    private final long deadlineNanos;

    Fence(Map<String, String> read, long deadlineNanos) {
        this.read = read;
        this.deadlineNanos = deadlineNanos;
    }

    boolean over() {
        return System.nanoTime() - deadlineNanos > 0;
    }

    /** Whether the change is news to a client that has the snapshot (and every change passed so far). */
    boolean passes(Delivered change) {
        if (passed.contains(change.key)) {
            return true;
        }
        String expected = read.get(change.key);
        if (Objects.equals(change.oldDigest(), expected)) {
            passed.add(change.key);
            return true;
        }
        if (expected != null && expected.equals(change.newDigest())) {
            passed.add(change.key);
        }
        return false;
    }
}
